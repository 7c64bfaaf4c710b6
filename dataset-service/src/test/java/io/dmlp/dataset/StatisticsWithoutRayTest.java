package io.dmlp.dataset;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.dmlp.common.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** With Ray unreachable, a statistics job is recorded as failed with the reason: never left pending. */
@QuarkusTest
@TestProfile(StatisticsWithoutRayTest.RayDown.class)
@QuarkusTestResource(TestTokens.class)
@QuarkusTestResource(CatalogStub.class)
class StatisticsWithoutRayTest {

    public static class RayDown implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("dmlp.ray.url", "http://127.0.0.1:9", "dmlp.ray.timeout", "1s");
        }
    }

    @Test
    void theJobFailsWithTheReasonAndTheCallerGetsA503() {
        TestTokens.Tenant tenant = TestTokens.Tenant.random();
        String token = tenant.token(3, "uma", "can_upload_datasets", "can_view");
        long datasetId = given().auth().oauth2(token).queryParam("dataset_name", "noray " + UUID.randomUUID())
                .queryParam("usage", "t").queryParam("template_id", 5)
                .multiPart("files", "s.csv", "CustomerID,DataUsageGB,Active,Since\nA,1,true,\n"
                        .getBytes(StandardCharsets.UTF_8), "text/csv")
                .when().post("/api/v1/dataset/upload").then().statusCode(200).extract().jsonPath().getLong("dataset_id");

        given().auth().oauth2(token).queryParam("dataset_id", datasetId)
                .when().post("/api/v1/dataset/generate_statistics")
                .then().statusCode(503).body("message", containsString("recorded as failed"));

        given().auth().oauth2(token).queryParam("dataset_id", datasetId)
                .when().get("/api/v1/dataset/statistics")
                .then().statusCode(200).body("status", equalTo("failed"))
                .body("error", startsWith("Could not start on Ray: Ray is not reachable"));
    }
}
