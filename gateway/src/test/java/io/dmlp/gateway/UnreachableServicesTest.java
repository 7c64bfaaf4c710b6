package io.dmlp.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
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
            return Map.of(
                    "dmlp.gateway.services.auth-service.url", "http://127.0.0.1:9",
                    "dmlp.gateway.services.catalog-service.url", "http://127.0.0.1:9",
                    "dmlp.gateway.services.dataset-service.url", "http://127.0.0.1:9",
                    "dmlp.gateway.services.training-service.url", "http://127.0.0.1:9",
                    "dmlp.gateway.services.inference-service.url", "http://127.0.0.1:9",
                    "dmlp.gateway.services.datalake-service.url", "http://127.0.0.1:9",
                    "dmlp.gateway.max-body-size", "1K",
                    "dmlp.gateway.max-upload-size", "4K");
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
