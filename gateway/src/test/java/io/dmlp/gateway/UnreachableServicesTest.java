package io.dmlp.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gateway on its own, every service behind it down: its failure answers and its limits. */
@QuarkusTest
@TestProfile(UnreachableServicesTest.NothingListens.class)
class UnreachableServicesTest {

    public static class NothingListens implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Port 9 (discard) has no listener here: connections are refused at once.
            Map<String, String> config = new HashMap<>(Map.of(
                    "dmlp.gateway.max-body-size", "1K",
                    "dmlp.gateway.max-upload-size", "4K"));
            for (String service : List.of("auth-service", "catalog-service", "dataset-service", "training-service",
                    "inference-service", "datalake-service")) {
                config.put("dmlp.gateway.services." + service + ".url", "http://127.0.0.1:9");
                config.put("dmlp.gateway.services." + service + ".management-url", "http://127.0.0.1:9");
            }
            return config;
        }
    }

    @Test
    void aServiceThatCannotBeReachedIsA502NamingIt() {
        given().header("X-Request-Id", "gw-502")
                .when().get("/api/v1/template/list")
                .then().statusCode(502)
                .header("X-Request-Id", "gw-502")
                .body("status_code", equalTo(502))
                .body("message", equalTo("catalog-service is not reachable; try again shortly."))
                .body("request_id", equalTo("gw-502"));
    }

    @Test
    void healthIs503NamingEveryUnreachableService() {
        given().when().get("/api/v1/utils/health-check/")
                .then().statusCode(503)
                .body("status_code", equalTo(503))
                .body("message", containsString("Not ready: auth-service (reported by auth-service)"))
                .body("details.component", hasItems("auth-service", "catalog-service", "dataset-service",
                        "training-service", "inference-service", "datalake-service"));
    }

    @Test
    void noQueryStringReachesTheLogWhenAServiceIsDown() {
        List<String> lines;
        try (CapturedLog log = CapturedLog.start()) {
            lines = log.lines();
            given().header("X-Request-Id", "gw-secret")
                    .when().post("/api/v1/refresh?refresh_token=secret-token-value&new_password=secret-password")
                    .then().statusCode(502);
            await().atMost(Duration.ofSeconds(5)).until(() -> lines.stream().anyMatch(l -> l.contains("not reachable"))
                    && lines.stream().anyMatch(l -> l.contains("/api/v1/refresh") && l.contains("502")));
        }

        assertThat(lines).noneMatch(line -> line.contains("secret"));
    }

    @Test
    void bodyLimitsDependOnTheEndpoint() {
        byte[] twoKiB = new byte[2048];
        given().body(twoKiB).contentType("application/json")
                .when().post("/api/v1/template/")
                .then().statusCode(413)
                .body("status_code", equalTo(413))
                .body("message", equalTo("Request body of 2048 bytes exceeds the limit of 1024 bytes for this endpoint."));
        // Within the upload limit: passes the gateway and meets the (absent) service.
        given().body(twoKiB).contentType("text/csv")
                .when().post("/api/v1/dataset/upload")
                .then().statusCode(502);
        given().body(new byte[8192]).contentType("text/csv")
                .when().post("/api/v1/dataset/upload")
                .then().statusCode(413)
                .body("message", containsString("for uploads."));
    }
}
