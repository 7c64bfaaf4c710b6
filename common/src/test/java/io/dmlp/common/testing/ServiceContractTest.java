package io.dmlp.common.testing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import io.quarkus.test.common.http.TestHTTPResource;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * What every DMLP service promises regardless of its domain: readiness that names each dependency it
 * uses and reports it up against the real local stack, the one error body with the caller's request id,
 * OpenAPI on the HTTP port, and health and Prometheus metrics on the management interface only. Each
 * service's test class extends it with {@code @QuarkusTest}.
 */
public abstract class ServiceContractTest {

    private static final List<String> DEPENDENCIES = List.of("postgresql", "kafka", "s3", "ray");

    /** The management interface's root, {@code http://host:port/q/}. */
    @TestHTTPResource(value = "/", management = true)
    URL management;

    /** Where the service serves its own OpenAPI document (the gateway's /q/openapi is the whole platform's). */
    protected String openApiPath() {
        return "/q/openapi";
    }

    /**
     * The dependencies this service declares with {@code dmlp.health.<name>=true}, and the revocation set's
     * catch-up where the service checks tokens against it.
     */
    protected List<String> readinessChecks() {
        var config = ConfigProvider.getConfig();
        return Stream.concat(DEPENDENCIES.stream()
                        .filter(name -> config.getOptionalValue("dmlp.health." + name, Boolean.class).orElse(false)),
                config.getOptionalValue("dmlp.revocation.enabled", Boolean.class).orElse(false)
                        ? Stream.of("revocation") : Stream.empty())
                .toList();
    }

    @Test
    void readinessNamesEveryDependencyAndAllAreUp() {
        List<String> expected = readinessChecks();
        given().when().get(management + "health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems(expected.toArray(String[]::new)))
                .body("checks.status", everyItem(equalTo("UP")));
        given().when().get(management + "health/live").then().statusCode(200);
    }

    @Test
    void thePublicPortServesNeitherHealthNorMetrics() {
        for (String path : List.of("/q/health", "/q/health/ready", "/q/health/live", "/q/metrics")) {
            given().when().get(path).then().statusCode(404);
        }
    }

    @Test
    void unknownEndpointAnswersTheErrorBodyWithTheCallersRequestId() {
        given().header("X-Request-Id", "contract-test-42")
                .when().get("/api/v1/no-such-endpoint")
                .then().statusCode(404)
                .contentType("application/json")
                .header("X-Request-Id", "contract-test-42")
                .body("status_code", equalTo(404))
                .body("message", equalTo("No endpoint GET /api/v1/no-such-endpoint"))
                .body("request_id", equalTo("contract-test-42"));
    }

    @Test
    void replacesAnUnsafeRequestIdAndCreatesOneWhenMissing() {
        String uuid = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
        given().header("X-Request-Id", "bad id; drop table users")
                .when().get("/api/v1/no-such-endpoint")
                .then().statusCode(404)
                .header("X-Request-Id", matchesPattern(uuid))
                .body("request_id", matchesPattern(uuid));
        given().when().get("/api/v1/no-such-endpoint")
                .then().header("X-Request-Id", matchesPattern(uuid));
    }

    /**
     * Every operation documents its success and every error status the common path can give, with the one error
     * body: the end-to-end fuzzing (e2e/test_fuzz.py) holds each response to its document.
     */
    @Test
    @SuppressWarnings("unchecked")
    void everyDocumentedOperationDeclaresTheCommonErrorsInTheOneBody() {
        Map<String, Map<String, Object>> paths = given().when().get(openApiPath() + "?format=json").then().statusCode(200)
                .extract().jsonPath().getMap("paths");
        for (var path : paths.entrySet()) {
            for (var method : path.getValue().entrySet()) {
                var operation = (Map<String, Object>) method.getValue();
                var responses = (Map<String, Map<String, Object>>) operation.get("responses");
                var expected = new java.util.ArrayList<>(List.of("400", "404", "406", "422", "503"));
                if (!List.of().equals(operation.get("security"))) {
                    expected.addAll(List.of("401", "403"));
                }
                if (operation.containsKey("requestBody")) {
                    expected.addAll(List.of("413", "415"));
                }
                assertThat(responses).as(method.getKey() + " " + path.getKey()).containsKeys(expected.toArray(String[]::new));
                assertThat(responses.keySet()).as(method.getKey() + " " + path.getKey() + " documents its success")
                        .anyMatch(status -> status.startsWith("2"));
                for (String status : expected) {
                    assertThat(responses.get(status).toString()).as(method.getKey() + " " + path.getKey() + " " + status)
                            .contains("#/components/schemas/ErrorBody");
                }
            }
        }
    }

    @Test
    void publishesOpenApiAndPrometheusMetrics() {
        given().when().get(openApiPath() + "?format=json").then().statusCode(200).body("openapi", containsString("3."));
        given().when().get(management + "metrics").then().statusCode(200)
                .body(containsString("jvm_memory_used_bytes"));
    }
}
