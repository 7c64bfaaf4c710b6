package io.dmlp.training;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.dmlp.common.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * get_details refuses what it must before asking dataset-service anything (the happy path, with a real dataset, is
 * in e2e/test_training.py). dataset-service is not running here: its address is the discard port.
 */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
@TestProfile(TrainingDetailsTest.WithoutDatasetService.class)
class TrainingDetailsTest {

    public static class WithoutDatasetService implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("dmlp.dataset.url", "http://127.0.0.1:9");
        }
    }

    private static final String PATH = "/api/v1/train/get_details";
    private final TestTokens.Tenant tenant = TestTokens.Tenant.random();

    private static Map<String, Object> request(Object datasetId, Object problemType) {
        return Map.of("dataset_id", datasetId, "predictor_name", "churn_v1", "domain", "Churn",
                "problem_type", problemType);
    }

    @Test
    void anonymousCallersAndCallersWithoutTheTrainingPermissionAreRefused() {
        given().contentType("application/json").body(request(1, "Classification")).when().post(PATH)
                .then().statusCode(401);
        given().auth().oauth2(tenant.token(31, "viewer", "can_view")).contentType("application/json")
                .body(request(1, "Classification")).when().post(PATH)
                .then().statusCode(403).body("status_code", equalTo(403));
    }

    @Test
    void anUnknownProblemTypeIsNamedWithTheChoices() {
        given().auth().oauth2(tenant.token(32, "dana", "can_train_models")).contentType("application/json")
                .body(request(1, "Clustering")).when().post(PATH)
                .then().statusCode(422)
                .body("message", equalTo("'problem_type' must be one of Classification, Regression, Forecast, "
                        + "not 'Clustering'."));
    }

    @Test
    void missingOrInvalidFieldsAreNamed() {
        given().auth().oauth2(tenant.token(33, "dana", "can_train_models")).contentType("application/json")
                .body(Map.of("dataset_id", -4, "domain", "Churn")).when().post(PATH)
                .then().statusCode(422)
                .body("details.field", hasItem("dataset_id"))
                .body("details.field", hasItem("predictor_name"))
                .body("details.field", hasItem("problem_type"));
    }

    @Test
    void anUnreachableDatasetServiceIsAServiceUnavailable() {
        given().auth().oauth2(tenant.token(34, "dana", "can_train_models")).contentType("application/json")
                .body(request(1, "regression")).when().post(PATH)
                .then().statusCode(503).body("message", containsString("dataset-service"));
    }
}
