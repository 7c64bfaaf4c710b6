package io.dmlp.dataset;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import io.dmlp.common.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Upload, validation, storage and reading of datasets, on the real PostgreSQL, Kafka and S3. */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
@QuarkusTestResource(CatalogStub.class)
class DatasetUploadTest {

    static final String GOOD = "CustomerID,DataUsageGB,Active,Since\nC-1,1.5,true,2025-01-02\nC-2,,false,\n";

    @Inject
    Pool pool;

    @TestHTTPResource(value = "metrics", management = true)
    URL metrics;

    private final TestTokens.Tenant tenant = TestTokens.Tenant.random();
    private final String token = tenant.token(3, "uma", "can_upload_datasets", "can_delete_datasets", "can_view");

    RequestSpecification upload(String name, String usage, String fileName, byte[] content) {
        return given().auth().oauth2(token)
                .queryParam("dataset_name", name).queryParam("usage", usage).queryParam("template_id", 5)
                .multiPart("files", fileName, content, "text/csv");
    }

    JsonPath uploadOk(String content) {
        return upload("ds " + UUID.randomUUID(), "t", "data.csv", content.getBytes(StandardCharsets.UTF_8))
                .when().post("/api/v1/dataset/upload")
                .then().statusCode(200).extract().jsonPath();
    }

    @Test
    void aValidFileIsStoredAndDescribedInTheGuidesShape() {
        String name = "forecast-" + UUID.randomUUID();
        JsonPath body = upload(name, "p", "network.csv", GOOD.getBytes(StandardCharsets.UTF_8))
                .when().post("/api/v1/dataset/upload")
                .then().statusCode(200)
                .body("dataset_name", equalTo(name))
                .body("data_source", equalTo("csv"))
                .body("files[0].file_name", equalTo("network.csv"))
                .body("files[0].total_fields", equalTo(4))
                .body("files[0].total_records", equalTo(2))
                .body("files[0].error_report", nullValue())
                .extract().jsonPath();
        long datasetId = body.getLong("dataset_id");
        long fileId = body.getLong("files[0].id");

        given().auth().oauth2(token).when().get("/api/v1/dataset/list")
                .then().statusCode(200).body("total", equalTo(1))
                .body("data[0].is_valid", equalTo(true))
                .body("data[0].dataset_usability", equalTo("100%"))
                .body("data[0].usage", equalTo("p")).body("data[0].dataset_usage", equalTo("Prediction"))
                .body("data[0].template_name", equalTo("Telecom"))
                .body("data[0].iceberg_table_name", equalTo(name.replace('-', '_').toLowerCase()));
        String key = given().auth().oauth2(token).queryParam("file_id", fileId)
                .when().get("/api/v1/files/get_file_by_id/")
                .then().statusCode(200).body("dataset_id", equalTo((int) datasetId))
                .extract().path("csv_file_path");
        assertThat(key).startsWith("raw/" + tenant.id() + "/");

        byte[] downloaded = given().auth().oauth2(token).queryParam("file_path", key)
                .when().get("/api/v1/files/download/").then().statusCode(200).extract().asByteArray();
        assertThat(new String(downloaded, StandardCharsets.UTF_8)).isEqualTo(GOOD);
        assertThat(events("io.dmlp.dataset.dataset.created.v1", datasetId)).isEqualTo(1);

        // The created event carries the name and columns as the dataset's detail gives them (catalog-service's
        // from-dataset reads them from the event, not from this service).
        JsonPath detail = given().auth().oauth2(token).queryParam("dataset_id", datasetId)
                .when().get("/api/v1/dataset/get_dataset_by_id").then().statusCode(200).extract().jsonPath();
        JsonPath created = new JsonPath(eventPayload("io.dmlp.dataset.dataset.created.v1", datasetId));
        assertThat(created.getString("data.dataset_name")).isEqualTo(name);
        assertThat(created.getList("data.dataset_schema")).isNotEmpty()
                .isEqualTo(detail.getList("dataset_schema"));
    }

    @Test
    void everyBadValueIsReportedWithItsRowAndColumnAndTheRestStaysUsable() {
        String csv = "\uFEFFCustomerID;DataUsageGB;Active;Since;Extra\r\n"
                + "\"C-1; the first\";1.5;true;2025-01-02;x\r\n"
                + "C-2;lots;maybe;2025-13-01;y\r\n"
                + "\"C-3\nwith a newline\";2;false;;z\r\n"
                + "C-4;3\r\n";
        JsonPath body = uploadOk(csv);

        assertThat(body.getInt("files[0].total_records")).isEqualTo(4);
        assertThat(body.getInt("files[0].total_fields")).isEqualTo(5);
        JsonPath report = JsonPath.from(body.prettify()).setRootPath("files[0].error_report");
        assertThat(report.getInt("total_errors")).isEqualTo(4);
        assertThat(report.getList("extra_columns", String.class)).containsExactly("Extra");
        assertThat(report.getInt("errors_by_reason.'not a valid Float'")).isEqualTo(1);
        assertThat(report.getList("errors.column", String.class)).contains("DataUsageGB", "Active", "Since");
        assertThat(report.getList("errors.row", Integer.class)).contains(3, 6);

        given().auth().oauth2(token).when().get("/api/v1/dataset/list")
                .then().body("data.dataset_usability", hasItem("50%"));
    }

    @Test
    void aFileWithoutTheTemplatesColumnsIsInvalidAndSaysWhy() {
        JsonPath body = uploadOk("CustomerID,Active\nC-1,true\n");

        assertThat(body.getString("files[0].error_report.file_problems[0]"))
                .contains("lacks the template's columns: DataUsageGB, Since");
        given().auth().oauth2(token).when().get("/api/v1/dataset/list_validated")
                .then().statusCode(200).body("total", equalTo(0));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "usage x         | x | 5   | 422 | usage must be",
        "unknown template| t | 404 | 422 | Template 404 does not exist"
    })
    void badParametersAreClientErrors(String label, String usage, long templateId, int status, String message) {
        given().auth().oauth2(token).queryParam("dataset_name", "bad " + UUID.randomUUID()).queryParam("usage", usage)
                .queryParam("template_id", templateId).multiPart("files", "a.csv", GOOD.getBytes(), "text/csv")
                .when().post("/api/v1/dataset/upload")
                .then().statusCode(status).body("message", containsString(message));
    }

    @Test
    void binaryEmptyAndNonUtf8FilesAreRefusedAndLeaveNothingBehind() {
        upload("bin " + UUID.randomUUID(), "t", "x.csv", new byte[] {'P', 'K', 3, 4, 0, 0, 1})
                .when().post("/api/v1/dataset/upload").then().statusCode(415);
        upload("empty " + UUID.randomUUID(), "t", "x.csv", new byte[0])
                .when().post("/api/v1/dataset/upload").then().statusCode(422).body("message", containsString("empty"));
        upload("latin " + UUID.randomUUID(), "t", "x.csv",
                "CustomerID,DataUsageGB,Active,Since\nC-\u00e9,1,true,2025-01-01\n".getBytes(StandardCharsets.ISO_8859_1))
                .when().post("/api/v1/dataset/upload").then().statusCode(422).body("message", containsString("UTF-8"));

        given().auth().oauth2(token).when().get("/api/v1/dataset/list").then().body("total", equalTo(0));
    }

    @Test
    void listsArePagedNewestFirstAndCountEveryMatch() {
        long first = uploadOk(GOOD).getLong("dataset_id");
        uploadOk("CustomerID,Active\nC-1,true\n"); // invalid: lacks template columns
        long third = uploadOk(GOOD).getLong("dataset_id");

        given().auth().oauth2(token).queryParam("skip", 0).queryParam("limit", 2).when().get("/api/v1/dataset/list")
                .then().statusCode(200).body("total", equalTo(3)).body("data.size()", equalTo(2))
                .body("data[0].id", equalTo((int) third));
        given().auth().oauth2(token).queryParam("skip", 2).queryParam("limit", 2).when().get("/api/v1/dataset/list")
                .then().statusCode(200).body("total", equalTo(3)).body("data.id", org.hamcrest.Matchers.contains((int) first));
        given().auth().oauth2(token).when().get("/api/v1/dataset/list_validated")
                .then().statusCode(200).body("total", equalTo(2))
                .body("data.id", org.hamcrest.Matchers.contains((int) third, (int) first));
        given().auth().oauth2(token).queryParam("limit", 0).when().get("/api/v1/dataset/list").then().statusCode(422);
    }

    @Test
    void ingestShowsInThePrometheusMetrics() {
        double validRows = metric("dmlp_ingest_rows_total{result=\"valid\"}");
        double invalidRows = metric("dmlp_ingest_rows_total{result=\"invalid\"}");
        double failed = metric("dmlp_ingest_duration_seconds_count{outcome=\"failed\"}");

        uploadOk(GOOD + "C-3,lots,true,\n");
        upload("bin " + UUID.randomUUID(), "t", "x.csv", new byte[] {'P', 'K', 3, 4, 0, 0, 1})
                .when().post("/api/v1/dataset/upload").then().statusCode(415);

        assertThat(metric("dmlp_ingest_rows_total{result=\"valid\"}")).isEqualTo(validRows + 2);
        assertThat(metric("dmlp_ingest_rows_total{result=\"invalid\"}")).isEqualTo(invalidRows + 1);
        assertThat(metric("dmlp_ingest_duration_seconds_count{outcome=\"failed\"}")).isEqualTo(failed + 1);
    }

    /** A sample's value in /q/metrics (management interface), 0 when the series does not exist yet. */
    private double metric(String series) {
        String text = given().when().get(metrics).then().statusCode(200).extract().asString();
        return text.lines().filter(line -> line.startsWith(series + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(series.length() + 1).strip())).orElse(0.0);
    }

    @Test
    void aDatasetWithRejectedRowsNeverReadsAHundredPercent() {
        StringBuilder csv = new StringBuilder("CustomerID,DataUsageGB,Active,Since\n");
        for (int i = 0; i < 3_000; i++) {
            csv.append("C-").append(i).append(',').append(i % 1_000 == 0 ? "oops" : "1.5").append(",true,\n");
        }
        long datasetId = uploadOk(csv.toString()).getLong("dataset_id");

        given().auth().oauth2(token).when().get("/api/v1/dataset/list").then().statusCode(200)
                .body("data.find { it.id == " + datasetId + " }.dataset_usability", equalTo("99%"));
    }

    @Test
    void aHeaderWithoutRowsIsAnInvalidFile() {
        JsonPath body = uploadOk("CustomerID,DataUsageGB,Active,Since\n");

        assertThat(body.getString("files[0].error_report.file_problems[0]")).contains("no data rows");
    }

    @Test
    void namesAreUniquePerTenantAndOtherTenantsSeeNothing() {
        String name = "unique " + UUID.randomUUID();
        upload(name, "t", "a.csv", GOOD.getBytes()).when().post("/api/v1/dataset/upload").then().statusCode(200);
        upload(name, "t", "a.csv", GOOD.getBytes()).when().post("/api/v1/dataset/upload").then().statusCode(409);

        String stranger = TestTokens.Tenant.random().token(4, "eve", "can_view", "can_delete_datasets");
        given().auth().oauth2(stranger).when().get("/api/v1/dataset/list").then().body("total", equalTo(0));
    }

    @Test
    void downloadsOnlyKeysOfTheCallersTenant() {
        JsonPath body = uploadOk(GOOD);
        String key = given().auth().oauth2(token).queryParam("file_id", body.getLong("files[0].id"))
                .when().get("/api/v1/files/get_file_by_id/").then().extract().path("csv_file_path");
        String stranger = TestTokens.Tenant.random().token(4, "eve", "can_view");

        given().auth().oauth2(stranger).queryParam("file_path", key)
                .when().get("/api/v1/files/download/").then().statusCode(404);
        for (String path : new String[] {"../" + key, "/etc/passwd", key + "/../x", "raw/" + tenant.id() + "/none"}) {
            given().auth().oauth2(token).queryParam("file_path", path)
                    .when().get("/api/v1/files/download/").then().statusCode(404);
        }
    }

    @Test
    void deletingADatasetRemovesItsFilesAndAnnouncesIt() {
        JsonPath body = uploadOk(GOOD);
        long datasetId = body.getLong("dataset_id");
        String key = given().auth().oauth2(token).queryParam("file_id", body.getLong("files[0].id"))
                .when().get("/api/v1/files/get_file_by_id/").then().extract().path("csv_file_path");
        String viewer = tenant.token(5, "vic", "can_view");

        given().auth().oauth2(viewer).when().delete("/api/v1/dataset/delete/" + datasetId).then().statusCode(403);
        given().auth().oauth2(token).when().delete("/api/v1/dataset/delete/" + datasetId)
                .then().statusCode(200).body("message", equalTo("Dataset deleted successfully"));

        given().auth().oauth2(token).queryParam("file_path", key).when().get("/api/v1/files/download/")
                .then().statusCode(404);
        given().auth().oauth2(token).queryParam("dataset_id", datasetId)
                .when().get("/api/v1/dataset/get_dataset_by_id").then().statusCode(404);
        assertThat(events("io.dmlp.dataset.dataset.deleted.v1", datasetId)).isEqualTo(1);
    }

    @Test
    void filesCanBeAddedViewedAndDeleted() {
        JsonPath created = uploadOk(GOOD);
        long datasetId = created.getLong("dataset_id");

        JsonPath added = given().auth().oauth2(token).queryParam("dataset_id", datasetId)
                .multiPart("files", "more.csv", "CustomerID,DataUsageGB,Active,Since\nC-9,x,true,\n".getBytes(), "text/csv")
                .when().post("/api/v1/files/add")
                .then().statusCode(200).body("files.file_name", org.hamcrest.Matchers.contains("more.csv"))
                .extract().jsonPath();
        long addedId = added.getLong("files[0].id");
        given().auth().oauth2(token).when().get("/api/v1/dataset/list")
                .then().body("data.find { it.id == " + datasetId + " }.dataset_usability", equalTo("66%")); // 2 of 3, rounded down

        given().auth().oauth2(token).queryParam("file_id", addedId).when().get("/api/v1/files/view")
                .then().statusCode(200).body("file_id", equalTo((int) addedId))
                .body("content_preview", org.hamcrest.Matchers.contains("CustomerID,DataUsageGB,Active,Since",
                        "C-9,x,true,"));

        given().auth().oauth2(token).when().delete("/api/v1/files/delete/" + addedId)
                .then().statusCode(200).body("message", equalTo("File deleted successfully"));
        given().auth().oauth2(token).queryParam("dataset_id", datasetId).when().get("/api/v1/files/list")
                .then().statusCode(200).body("total", equalTo(1));
        given().auth().oauth2(token).queryParam("file_id", addedId).when().get("/api/v1/files/view")
                .then().statusCode(404);
        given().auth().oauth2(TestTokens.Tenant.random().token(4, "eve", "can_upload_datasets"))
                .queryParam("dataset_id", datasetId).multiPart("files", "x.csv", GOOD.getBytes(), "text/csv")
                .when().post("/api/v1/files/add").then().statusCode(404);
    }

    private String eventPayload(String type, long datasetId) {
        return pool.preparedQuery("select payload from outbox_event where event_type = $1 and message_key = $2")
                .execute(Tuple.of(type, tenant.id() + "/" + datasetId)).await().indefinitely()
                .iterator().next().getString(0);
    }

    private long events(String type, long datasetId) {
        return pool.preparedQuery("select count(*) from outbox_event where event_type = $1 and message_key = $2")
                .execute(Tuple.of(type, tenant.id() + "/" + datasetId)).await().indefinitely()
                .iterator().next().getLong(0);
    }
}
