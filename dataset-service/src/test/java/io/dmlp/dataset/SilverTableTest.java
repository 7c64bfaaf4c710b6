package io.dmlp.dataset;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.dmlp.common.config.S3Config;
import io.dmlp.common.testing.TestTokens;
import io.dmlp.dataset.repository.SilverTables;
import io.dmlp.lakehouse.ColumnTypes;
import io.dmlp.lakehouse.Lakehouse;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;

/** Valid rows land as typed Parquet in the dataset's silver Iceberg table, on the real catalog and S3. */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
@QuarkusTestResource(CatalogStub.class)
class SilverTableTest {

    static final String HEADER = "CustomerID,DataUsageGB,Active,Since\n";

    @Inject
    Lakehouse lakehouse;

    @Inject
    S3Config s3;

    @Inject
    MinioClient minio;

    private final TestTokens.Tenant tenant = TestTokens.Tenant.random();
    private final String token = tenant.token(3, "uma", "can_upload_datasets", "can_delete_datasets", "can_view");

    JsonPath upload(String table, String... files) {
        var request = given().auth().oauth2(token).queryParam("dataset_name", "silver " + UUID.randomUUID())
                .queryParam("usage", "t").queryParam("template_id", 5).queryParam("iceberg_table_name", table);
        for (int i = 0; i < files.length; i++) {
            request.multiPart("files", "part" + i + ".csv", files[i].getBytes(StandardCharsets.UTF_8), "text/csv");
        }
        return request.when().post("/api/v1/dataset/upload").then().statusCode(200).extract().jsonPath();
    }

    JsonPath add(long datasetId, String content) {
        return given().auth().oauth2(token).queryParam("dataset_id", datasetId)
                .multiPart("files", "more.csv", content.getBytes(StandardCharsets.UTF_8), "text/csv")
                .when().post("/api/v1/files/add").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void validRowsAreTypedInTheSilverTableAndPreviewed() {
        JsonPath body = upload("typed", HEADER + "C-1,1.5,true,2025-01-02\nC-2,,FALSE,\nC-3,lots,true,\n");
        long datasetId = body.getLong("dataset_id");
        long fileId = body.getLong("files[0].id");

        List<Map<String, Object>> preview = given().auth().oauth2(token).queryParam("dataset_id", datasetId)
                .when().get("/api/v1/dataset/view").then().statusCode(200).extract().jsonPath().getList("preview");
        assertThat(preview).hasSize(2);
        assertThat(preview.get(0)).containsExactly(Map.entry("CustomerID", "C-1"), Map.entry("DataUsageGB", 1.5f),
                Map.entry("Active", true), Map.entry("Since", "2025-01-02"));
        assertThat(preview.get(1)).containsEntry("DataUsageGB", 0.0f).containsEntry("Active", false)
                .containsEntry("Since", null);

        JsonPath file = given().auth().oauth2(token).queryParam("file_id", fileId)
                .when().get("/api/v1/files/get_file_by_id/").then().statusCode(200).extract().jsonPath();
        assertThat(file.getString("hdf_file_path"))
                .startsWith("s3://" + s3.lakehouseBucket() + "/silver/" + tenant.id() + "/typed-").endsWith(".parquet");
        assertThat(file.getLong("valid_records")).isEqualTo(2);

        Table table = lakehouse.catalog().loadTable(SilverTables.identifier(UUID.fromString(tenant.id()), "typed"));
        assertThat(table.properties()).containsEntry(Lakehouse.TENANT_PROPERTY, tenant.id().toString());
        assertThat(fileIds(table)).containsExactly(fileId, fileId);
        assertThat(given().auth().oauth2(token).queryParam("dataset_id", datasetId)
                .when().get("/api/v1/dataset/get_dataset_by_id").then().statusCode(200)
                .extract().jsonPath().getString("validated_path")).isEqualTo(table.location());
    }

    @Test
    void addedFilesAreCommittedAndADeletedFilesRowsLeaveTheTable() {
        JsonPath body = upload("files_" + suffix(), HEADER + "C-1,1,true,\n");
        long datasetId = body.getLong("dataset_id");
        long first = body.getLong("files[0].id");
        long second = add(datasetId, HEADER + "C-2,2,true,\nC-3,3,false,\n").getLong("files[0].id");
        Table table = lakehouse.catalog().loadTable(SilverTables.identifier(UUID.fromString(tenant.id()), tableOf(datasetId)));
        assertThat(fileIds(table)).containsExactlyInAnyOrder(first, second, second);

        given().auth().oauth2(token).when().delete("/api/v1/files/delete/" + first).then().statusCode(200);

        table.refresh();
        assertThat(fileIds(table)).containsExactly(second, second);
    }

    @Test
    void twoConcurrentAdditionsToOneDatasetBothLand() {
        long datasetId = upload("concurrent_" + suffix(), HEADER + "C-1,1,true,\n").getLong("dataset_id");

        var one = CompletableFuture.supplyAsync(() -> add(datasetId, HEADER + "A,1,true,\n"));
        var two = CompletableFuture.supplyAsync(() -> add(datasetId, HEADER + "B,2,true,\nB2,3,true,\n"));
        CompletableFuture.allOf(one, two).join();

        given().auth().oauth2(token).queryParam("dataset_id", datasetId).when().get("/api/v1/files/list")
                .then().statusCode(200).body("total", equalTo(3));
        Table table = lakehouse.catalog().loadTable(SilverTables.identifier(UUID.fromString(tenant.id()), tableOf(datasetId)));
        assertThat(fileIds(table)).hasSize(4);
    }

    @Test
    void deletingTheDatasetDropsItsTable() {
        String name = "dropped_" + suffix();
        long datasetId = upload(name, HEADER + "C-1,1,true,\n").getLong("dataset_id");

        given().auth().oauth2(token).when().delete("/api/v1/dataset/delete/" + datasetId).then().statusCode(200);

        assertThat(lakehouse.catalog().tableExists(SilverTables.identifier(UUID.fromString(tenant.id()), name))).isFalse();
    }

    @Test
    void anUploadThatFailsHalfWayLeavesNoTableNoDataFileAndNoObject() {
        String name = "failed_" + suffix();
        given().auth().oauth2(token).queryParam("dataset_name", "half " + UUID.randomUUID()).queryParam("usage", "t")
                .queryParam("template_id", 5).queryParam("iceberg_table_name", name)
                .multiPart("files", "good.csv", (HEADER + "C-1,1,true,\n").getBytes(), "text/csv")
                .multiPart("files", "bad.csv", new byte[] {'P', 'K', 3, 4, 0, 0}, "text/csv")
                .when().post("/api/v1/dataset/upload").then().statusCode(415);

        assertThat(lakehouse.catalog().tableExists(SilverTables.identifier(UUID.fromString(tenant.id()), name))).isFalse();
        assertThat(objects(s3.lakehouseBucket(), "silver/" + tenant.id() + "/")).isEmpty();
        assertThat(objects(s3.bucket(), "raw/" + tenant.id() + "/")).isEmpty();
    }

    @Test
    void withoutATemplateTheSchemaIsInferredFromTheFile() {
        JsonPath body = given().auth().oauth2(token).queryParam("dataset_name", "inferred " + UUID.randomUUID())
                .queryParam("usage", "t")
                .multiPart("files", "plain.csv", ("id;score;ok;day;at;name\n1;2.5;true;2025-01-01;2025-01-01T10:00:00;x\n"
                        + "2;3;false;;2025-01-02T11:00:00Z;y\n").getBytes(), "text/csv")
                .when().post("/api/v1/dataset/upload").then().statusCode(200).extract().jsonPath();

        JsonPath detail = given().auth().oauth2(token).queryParam("dataset_id", body.getLong("dataset_id"))
                .when().get("/api/v1/dataset/get_dataset_by_id").then().statusCode(200)
                .body("schema_inferred", equalTo(true)).extract().jsonPath();
        assertThat(detail.getList("dataset_schema.data_type", String.class))
                .containsExactly("Integer", "Float", "Boolean", "Date", "DateTime", "String");
        assertThat(body.getLong("files[0].total_records")).isEqualTo(2);
        assertThat(body.getString("files[0].error_report")).isNull();
        given().auth().oauth2(token).queryParam("dataset_id", body.getLong("dataset_id"))
                .when().get("/api/v1/dataset/view").then().statusCode(200)
                .body("preview.at", org.hamcrest.Matchers.contains("2025-01-01T10:00:00Z", "2025-01-02T11:00:00Z"));
    }

    private String tableOf(long datasetId) {
        return given().auth().oauth2(token).queryParam("dataset_id", datasetId)
                .when().get("/api/v1/dataset/get_dataset_by_id").then().extract().path("iceberg_table_name");
    }

    private static List<Long> fileIds(Table table) {
        List<Long> ids = new ArrayList<>();
        try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
            rows.forEach(row -> ids.add((Long) row.getField(ColumnTypes.FILE_ID)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return ids;
    }

    private List<String> objects(String bucket, String prefix) {
        List<String> keys = new ArrayList<>();
        for (var item : minio.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true)
                .build())) {
            try {
                keys.add(item.get().objectName());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return keys;
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
