package io.dmlp.inference.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.dmlp.common.schema.DataType;
import io.dmlp.common.testing.TestTokens;
import io.dmlp.inference.domain.DeployedModel;
import io.dmlp.inference.service.DeployedModels;
import io.dmlp.lakehouse.ObjectStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Batch prediction and forecast refuse what they must before any compute, and a forecast inside the stored horizon
 * is answered from the model's forecast.json (in the real bucket) and logged. dataset-service is a stub here; the
 * Ray paths are in e2e/test_inference_jobs.py.
 */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
@TestProfile(JobPredictionTest.WithStubbedDatasets.class)
class JobPredictionTest {

    private static final String PORT_PROPERTY = "dmlp.test.dataset-stub-port";

    /** dataset-service as a stub on a free port, the same one for the service and the test. */
    public static class WithStubbedDatasets implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("dmlp.dataset.url", "http://127.0.0.1:" + stubPort());
        }
    }

    private static int stubPort() {
        return Integer.parseInt((String) System.getProperties().computeIfAbsent(PORT_PROPERTY, key -> {
            try (ServerSocket free = new ServerSocket(0)) {
                return Integer.toString(free.getLocalPort());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }));
    }

    private static final AtomicLong IDS = new AtomicLong(System.currentTimeMillis() % 1_000_000L * 1000);
    private static HttpServer datasets;

    /** Datasets by id: 1 lacks feature column c, 2 is for training, 3 is not valid, 5 is fine but has no rows. */
    @BeforeAll
    static void startDatasets() throws IOException {
        ObjectMapper json = new ObjectMapper();
        datasets = HttpServer.create(new InetSocketAddress("127.0.0.1", stubPort()), 0);
        datasets.createContext("/api/v1/dataset/get_dataset_by_id", exchange -> {
            String id = exchange.getRequestURI().getQuery().replace("dataset_id=", "");
            List<Map<String, String>> columns = List.of(Map.of("column_name", "a", "data_type", "Float"),
                    Map.of("column_name", "b", "data_type", "Float"));
            List<Map<String, String>> all = List.of(columns.get(0), columns.get(1),
                    Map.of("column_name", "c", "data_type", "Text"));
            Map<String, Object> body = switch (id) {
                case "1" -> dataset(1, columns, "p", true);
                case "2" -> dataset(2, all, "t", true);
                case "3" -> dataset(3, all, "p", false);
                case "5" -> dataset(5, all, "p", true);
                default -> null;
            };
            byte[] bytes = json.writeValueAsBytes(body == null ? Map.of("status_code", 404, "message", "not found")
                    : body);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        datasets.start();
    }

    private static Map<String, Object> dataset(long id, Object columns, String usage, boolean valid) {
        return Map.of("dataset_name", "ds" + id, "dataset_schema", columns, "usage", usage, "is_valid", valid,
                "iceberg_table_name", "no_such_table_" + id, "data_source", "upload");
    }

    @AfterAll
    static void stopDatasets() {
        datasets.stop(0);
    }

    @Inject
    DeployedModels models;

    @Inject
    ObjectStore store;

    @Inject
    ObjectMapper json;

    private final TestTokens.Tenant tenant = TestTokens.Tenant.random();
    private final TestTokens.Tenant other = TestTokens.Tenant.random();
    private long classifier;
    private long forecaster;

    @BeforeEach
    void models() throws IOException {
        classifier = IDS.incrementAndGet();
        forecaster = IDS.incrementAndGet();
        models.completed(model(classifier, "Classification", List.of("a", "b", "c")));
        models.completed(model(forecaster, "Forecast", List.of("store", "ds")));
        byte[] forecast = json.writeValueAsBytes(Map.of("horizon", 3, "freq", "MS", "series", List.of(Map.of(
                "id", "north", "points", List.of(point("2025-01-01T00:00:00", 10), point("2025-02-01T00:00:00", 11),
                        point("2025-03-01T00:00:00", 12))))));
        store.put("models/" + tenant.id() + "/" + forecaster + "/forecast.json", new ByteArrayInputStream(forecast),
                forecast.length, "application/json");
    }

    private static Map<String, Object> point(String ds, double value) {
        return Map.of("ds", ds, "forecast", value, "lo_80", value - 1, "hi_80", value + 1, "lo_95", value - 2,
                "hi_95", value + 2);
    }

    private DeployedModel model(long trainId, String problemType, List<String> features) {
        return new DeployedModel(trainId, UUID.fromString(tenant.id()), "predictor " + trainId, "Sales", problemType,
                "auto", 9, 77, store.location("models/" + tenant.id() + "/" + trainId + "/"), List.of(),
                features.stream().map(name -> new DeployedModel.Feature(name, DataType.STRING, null)).toList(),
                new DeployedModel.Feature("y", DataType.FLOAT, null),
                List.of(), null, null);
    }

    private String runner() {
        return tenant.token(41, "rita", "can_run_inference", "can_view");
    }

    private io.restassured.response.ValidatableResponse batch(String token, long trainId, long datasetId) {
        return given().auth().oauth2(token).contentType("application/json")
                .body(Map.of("train_id", trainId, "dataset_id", datasetId))
                .when().post("/api/v1/inference/batchPrediction").then();
    }

    @Test
    void batchChecksTheModelAndTheDatasetBeforeAnyJob() {
        batch(tenant.token(42, "viewer", "can_view"), classifier, 1).statusCode(403);
        batch(other.token(43, "mallory", "can_run_inference"), classifier, 1).statusCode(404);
        batch(runner(), forecaster, 1).statusCode(422).body("message", containsString("/api/v1/inference/forecast"));
        batch(runner(), classifier, 1).statusCode(422).body("message", containsString("lacks the feature column c"));
        batch(runner(), classifier, 2).statusCode(422).body("message", containsString("usage 'p'"));
        batch(runner(), classifier, 3).statusCode(422).body("message", containsString("no valid file"));
        batch(runner(), classifier, 4).statusCode(404).body("message", containsString("Dataset 4"));
        batch(runner(), classifier, 5).statusCode(422).body("message", containsString("no validated rows"));
        // The alias takes the same checks.
        given().auth().oauth2(runner()).contentType("application/json")
                .body(Map.of("train_id", classifier, "dataset_id", 2))
                .when().post("/api/v1/inference/batch-prediction").then().statusCode(422);
        given().auth().oauth2(runner()).contentType("application/json").body(Map.of("train_id", classifier))
                .when().post("/api/v1/inference/batchPrediction").then().statusCode(422);
    }

    private Map<String, Object> forecast(long trainId, Object steps, String frequency, String series) {
        return Map.of("train_id", trainId, "preprocess_id", 77, "steps", steps, "frequency", frequency,
                "unique_id", series);
    }

    private io.restassured.response.ValidatableResponse ask(String token, Map<String, Object> body) {
        return given().auth().oauth2(token).contentType("application/json").body(body)
                .when().post("/api/v1/inference/forecast").then();
    }

    @Test
    void forecastRefusalsNameWhatIsWrong() {
        ask(runner(), forecast(forecaster, 0, "Month", "north")).statusCode(422)
                .body("message", containsString("'steps'"));
        ask(runner(), forecast(forecaster, 5000, "Month", "north")).statusCode(422);
        ask(runner(), forecast(forecaster, 2, "Minute", "north")).statusCode(422)
                .body("message", containsString("Hour, Day, Week, Month, Quarter, Year"));
        ask(runner(), forecast(forecaster, 2, "Day", "north")).statusCode(422)
                .body("message", containsString("forecasts by Month, not by Day"));
        ask(runner(), forecast(classifier, 2, "Month", "north")).statusCode(422)
                .body("message", containsString("Classification"));
        ask(runner(), forecast(forecaster, 2, "Month", "south")).statusCode(404)
                .body("message", containsString("'south'"));
        ask(other.token(44, "mallory", "can_run_inference"), forecast(forecaster, 2, "Month", "north"))
                .statusCode(404);
        Map<String, Object> otherPreprocess = new java.util.HashMap<>(forecast(forecaster, 2, "Month", "north"));
        otherPreprocess.put("preprocess_id", 78);
        ask(runner(), otherPreprocess).statusCode(422).body("message", containsString("preprocess record 77"));
    }

    @Test
    void aForecastInsideTheStoredHorizonIsAnsweredAtOnceAndLogged() {
        ask(runner(), forecast(forecaster, 2, "Month", "north")).statusCode(200)
                .body("forecast", hasSize(2))
                .body("forecast[0].date", equalTo("2025-01-01"))
                .body("forecast[0].value", equalTo(10.0f))
                .body("forecast[0].confidence", equalTo(0.95f))
                .body("forecast[0].lower", equalTo(8.0f))
                .body("forecast[0].upper", equalTo(12.0f))
                .body("forecast[0].lower_80", equalTo(9.0f))
                .body("forecast[0].upper_80", equalTo(11.0f))
                .body("forecast[1].date", equalTo("2025-02-01"));
        int predictionId = given().auth().oauth2(runner()).when()
                .get("/api/v1/inference/predictions?train_id=" + forecaster).then().statusCode(200)
                .body("total", equalTo(1))
                .body("data[0].prediction_type", equalTo("forecast"))
                .body("data[0].no_of_records", equalTo(2))
                .body("data[0].input_data", containsString("\"unique_id\":\"north\""))
                .extract().path("data[0].prediction_id");
        given().auth().oauth2(runner()).when().get("/api/v1/inference/result?prediction_id=" + predictionId)
                .then().statusCode(200).body("status", equalTo("completed")).body("no_of_records", equalTo(2));
        given().auth().oauth2(other.token(45, "mallory", "can_view")).when()
                .get("/api/v1/inference/result?prediction_id=" + predictionId).then().statusCode(404);
    }

    @Test
    void callbacksWithoutTheJobsCredentialAreRefusedBeforeTheirBody() {
        for (String path : List.of("/api/v1/inference/batch-result", "/api/v1/inference/forecast-result")) {
            given().contentType("application/json").body("{\"status\": \"succeeded\"}").when().post(path)
                    .then().statusCode(401);
            given().auth().oauth2("not-a-job-credential").contentType("application/json")
                    .body("{\"status\": \"succeeded\"}").when().post(path).then().statusCode(401);
        }
    }

    @Test
    void theExistingInferencePathsStillAnswerBesideTheNewResource() {
        given().auth().oauth2(runner()).when().get("/api/v1/inference/form-based-prediction?id=" + classifier)
                .then().statusCode(200).body("id", equalTo((int) classifier));
    }
}
