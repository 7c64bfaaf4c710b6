package io.dmlp.datalake;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.dmlp.common.testing.TestTokens;
import io.dmlp.datalake.config.DatalakeConfig;
import io.dmlp.datalake.service.ColumnStatistics;
import io.dmlp.datalake.service.TestLimits;
import io.dmlp.datalake.service.ScanSlots;
import io.dmlp.lakehouse.Lakehouse;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The browser over a real Iceberg table (JDBC catalog in PostgreSQL, Parquet on S3) written by the test. */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class DatalakeBrowserTest {

    static final int ROWS = 10_000;
    static final Schema SCHEMA = new Schema(
            Types.NestedField.optional(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "amount", Types.DoubleType.get()),
            Types.NestedField.optional(3, "name", Types.StringType.get()),
            Types.NestedField.optional(4, "day", Types.DateType.get()));

    @Inject
    Lakehouse lakehouse;
    @Inject
    DatalakeConfig config;
    @Inject
    ScanSlots scanSlots;
    @Inject
    MeterRegistry meters;

    private final TestTokens.Tenant tenant = TestTokens.Tenant.random();
    private final String token = tenant.token(3, "lea", "can_view_datalake");
    private final String table = "sales_" + UUID.randomUUID().toString().substring(0, 8);
    private Table created;

    /** amount: i * 0.5 for i = 1..10000, null for every 10th row; name: 37 distinct values; two commits. */
    @BeforeEach
    void writeTable() {
        created = create(tenant, table);
        append(created, 1, ROWS / 2);
        append(created, ROWS / 2 + 1, ROWS);
    }

    private Table create(TestTokens.Tenant owner, String name) {
        var id = Lakehouse.table("silver", UUID.fromString(owner.id()), name);
        lakehouse.ensureNamespace(id.namespace());
        return lakehouse.catalog().buildTable(id, SCHEMA)
                .withProperty(Lakehouse.TENANT_PROPERTY, owner.id()).withProperty(Lakehouse.OWNER_PROPERTY, "lea").create();
    }

    private static void append(Table created, int from, int to) {
        String path = created.location() + "/data/" + UUID.randomUUID() + ".parquet";
        try {
            DataWriter<Record> writer = Parquet.writeData(created.io().newOutputFile(path)).schema(SCHEMA)
                    .createWriterFunc(GenericParquetWriter::create).withSpec(PartitionSpec.unpartitioned()).build();
            GenericRecord record = GenericRecord.create(SCHEMA);
            for (int i = from; i <= to; i++) {
                record.set(0, (long) i);
                record.set(1, i % 10 == 0 ? null : i * 0.5);
                record.set(2, "name-" + (i % 37));
                record.set(3, LocalDate.of(2025, 1, 1).plusDays(i % 90));
                writer.write(record);
            }
            writer.close();
            DataFile file = writer.toDataFile();
            created.newAppend().appendFile(file).commit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static double[] amounts() {
        return IntStream.rangeClosed(1, ROWS).filter(i -> i % 10 != 0).mapToDouble(i -> i * 0.5).toArray();
    }

    @Test
    void schemasTablesColumnsAndMetadataInTheGuidesShape() {
        given().auth().oauth2(token).when().get("/api/v1/datalake/schemas").then().statusCode(200)
                .body("[0]", equalTo("bronze")).body("[1]", equalTo("silver")).body("[2]", equalTo("gold"))
                .body("[3]", equalTo("default"));
        given().auth().oauth2(token).queryParam("schema_name", "silver").when().get("/api/v1/datalake/schemas/tables")
                .then().statusCode(200).body("", equalTo(List.of(table)));
        List<Map<String, String>> columns = given().auth().oauth2(token).queryParam("schema_name", "silver")
                .queryParam("table_name", table).when().get("/api/v1/datalake/tables/columns")
                .then().statusCode(200).extract().jsonPath().getList("");
        assertThat(columns).containsExactly(Map.of("column_name", "id", "data_type", "bigint"),
                Map.of("column_name", "amount", "data_type", "double"),
                Map.of("column_name", "name", "data_type", "varchar"),
                Map.of("column_name", "day", "data_type", "date"));

        JsonPath metadata = given().auth().oauth2(token).queryParam("schema_name", "silver")
                .queryParam("table_name", table).when().get("/api/v1/datalake/table_metadata")
                .then().statusCode(200).body("schema", equalTo("silver")).body("table", equalTo(table))
                .body("owner", equalTo("lea")).body("format", equalTo("iceberg"))
                .extract().jsonPath();
        created.refresh();
        assertThat(metadata.getLong("current_snapshot_id")).isEqualTo(created.currentSnapshot().snapshotId());
        assertThat(metadata.getInt("snapshot_count")).isEqualTo(2);
        assertThat(metadata.getLong("record_count")).isEqualTo(ROWS);
        assertThat(metadata.getLong("data_file_count")).isEqualTo(2);
        assertThat(metadata.getLong("total_bytes")).isPositive();
        assertThat(metadata.getString("location")).isEqualTo(created.location());
        assertThat(metadata.getString("last_access_time")).isNotNull();
        assertThat(metadata.getString("created_time")).isLessThanOrEqualTo(metadata.getString("last_access_time"));
    }

    @Test
    void numericStatsAndDistinctCountsAreExactAgainstTheWrittenValues() {
        double[] amounts = amounts();
        double mean = Arrays.stream(amounts).average().orElseThrow();
        double variance = Arrays.stream(amounts).map(x -> (x - mean) * (x - mean)).sum() / (amounts.length - 1);
        double[] sorted = amounts.clone();
        Arrays.sort(sorted);
        double median = (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;

        JsonPath stats = given().auth().oauth2(token).queryParam("schema_name", "silver").queryParam("table_name", table)
                .queryParam("column_name", "amount").when().get("/api/v1/datalake/numeric_stats")
                .then().statusCode(200).body("column", equalTo("amount")).body("approximate", equalTo(false))
                .extract().jsonPath().using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));
        assertThat(stats.getLong("count")).isEqualTo(amounts.length);
        assertThat(stats.getDouble("mean")).isCloseTo(mean, within(1e-9));
        assertThat(stats.getDouble("std_dev")).isCloseTo(Math.sqrt(variance), within(1e-6));
        assertThat(stats.getDouble("min")).isEqualTo(0.5);
        assertThat(stats.getDouble("max")).isEqualTo(4999.5);
        assertThat(stats.getDouble("median")).isEqualTo(median);

        given().auth().oauth2(token).queryParam("schema", "silver").queryParam("table", table)
                .queryParam("column", "name").when().get("/api/v1/datalake/distinct-count")
                .then().statusCode(200).body("column", equalTo("name")).body("distinct_count", equalTo(37))
                .body("approximate", equalTo(false));
    }

    @Test
    void scansBeyondTheConcurrencyCapAreRefusedWithRetryAfter() {
        int cap = config.concurrentScans();
        whileEveryScanSlotIsTaken(() -> {
            given().auth().oauth2(token).queryParam("schema", "silver").queryParam("table", table)
                    .queryParam("column", "name").when().get("/api/v1/datalake/distinct-count")
                    .then().statusCode(429).header("Retry-After", "5").body("status_code", equalTo(429))
                    .body("message", containsString(cap + " column scans are running"));
            given().auth().oauth2(token).queryParam("schema_name", "silver").queryParam("table_name", table)
                    .queryParam("column_name", "amount").when().get("/api/v1/datalake/numeric_stats")
                    .then().statusCode(429).header("Retry-After", "5");
            // what needs no scan is not held up, and a missing table is still a 404
            given().auth().oauth2(token).queryParam("schema_name", "silver").queryParam("table_name", table)
                    .when().get("/api/v1/datalake/tables/columns").then().statusCode(200);
            given().auth().oauth2(token).queryParam("schema", "silver").queryParam("table", "nope")
                    .queryParam("column", "name").when().get("/api/v1/datalake/distinct-count").then().statusCode(404);
        });
        given().auth().oauth2(token).queryParam("schema", "silver").queryParam("table", table)
                .queryParam("column", "name").when().get("/api/v1/datalake/distinct-count").then().statusCode(200);
    }

    @Test
    void aRepeatedCallOnAnUnchangedTableIsAnsweredWithoutAScan() {
        String names = distinctCount(token, table, "name").then().statusCode(200).extract().asString();
        String amounts = numericStats(token, table, "amount").then().statusCode(200).extract().asString();
        double hits = cacheHits();

        // Every scan slot is taken: only an answer that needs no scan can still be given.
        whileEveryScanSlotIsTaken(() -> {
            assertThat(distinctCount(token, table, "name").then().statusCode(200).extract().asString())
                    .isEqualTo(names);
            assertThat(numericStats(token, table, "amount").then().statusCode(200).extract().asString())
                    .isEqualTo(amounts);
            distinctCount(token, table, "id").then().statusCode(429); // never computed: needs its scan
        });
        assertThat(cacheHits()).isEqualTo(hits + 2);
    }

    @Test
    void anAppendIsANewSnapshotWithFreshStatistics() {
        distinctCount(token, table, "id").then().statusCode(200).body("distinct_count", equalTo(ROWS));
        numericStats(token, table, "amount").then().statusCode(200).body("count", equalTo(amounts().length));

        append(created, ROWS + 1, ROWS + 10); // ids 10001..10010; amount null at 10010
        distinctCount(token, table, "id").then().statusCode(200).body("distinct_count", equalTo(ROWS + 10));
        numericStats(token, table, "amount").then().statusCode(200).body("count", equalTo(amounts().length + 9))
                .body("max", equalTo((float) ((ROWS + 9) * 0.5)));
    }

    @Test
    void anotherTenantsTableOfTheSameNameHasItsOwnStatistics() {
        distinctCount(token, table, "id").then().statusCode(200).body("distinct_count", equalTo(ROWS));

        TestTokens.Tenant other = TestTokens.Tenant.random();
        append(create(other, table), 1, 100);
        distinctCount(other.token(5, "kim", "can_view_datalake"), table, "id")
                .then().statusCode(200).body("distinct_count", equalTo(100));
        distinctCount(token, table, "id").then().statusCode(200).body("distinct_count", equalTo(ROWS));
    }

    private static io.restassured.response.Response distinctCount(String caller, String table, String column) {
        return given().auth().oauth2(caller).queryParam("schema", "silver").queryParam("table", table)
                .queryParam("column", column).when().get("/api/v1/datalake/distinct-count");
    }

    private static io.restassured.response.Response numericStats(String caller, String table, String column) {
        return given().auth().oauth2(caller).queryParam("schema_name", "silver").queryParam("table_name", table)
                .queryParam("column_name", column).when().get("/api/v1/datalake/numeric_stats");
    }

    private double cacheHits() {
        return meters.get("cache.gets").tag("cache", "datalake.statistics").tag("result", "hit")
                .functionCounter().count();
    }

    /** Runs {@code calls} while as many scans as allowed are running (each waits until the calls are done). */
    private void whileEveryScanSlotIsTaken(Runnable calls) {
        int cap = config.concurrentScans();
        CountDownLatch running = new CountDownLatch(cap);
        CountDownLatch finish = new CountDownLatch(1);
        ExecutorService scanners = Executors.newFixedThreadPool(cap);
        for (int i = 0; i < cap; i++) {
            scanners.submit(() -> scanSlots.scan(() -> {
                running.countDown();
                try {
                    return finish.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        try {
            assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
            calls.run();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        } finally {
            finish.countDown();
            scanners.shutdown();
        }
        try {
            assertThat(scanners.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aboveTheLimitsTheAnswersAreSketchesFlaggedApproximate() {
        ColumnStatistics small = new ColumnStatistics(TestLimits.of(1000, 800, 100));
        created.refresh();

        ColumnStatistics.Numeric numeric = small.numeric(created, created.schema().findField("amount"));
        assertThat(numeric.approximate()).isTrue();
        assertThat(numeric.count()).isEqualTo(amounts().length);
        assertThat(numeric.median()).isCloseTo(2500.0, within(250.0));
        ColumnStatistics.Distinct distinct = small.distinct(created, created.schema().findField("id"));
        assertThat(distinct.approximate()).isTrue();
        assertThat((double) distinct.distinctCount()).isCloseTo(ROWS, within(ROWS * 0.03));
    }

    @Test
    void aColumnAddedLaterIsReadFromTheFilesThatHaveIt() {
        created.updateSchema().addColumn("score", Types.DoubleType.get()).commit();
        Schema evolved = created.schema();
        String path = created.location() + "/data/" + UUID.randomUUID() + ".parquet";
        try {
            DataWriter<Record> writer = Parquet.writeData(created.io().newOutputFile(path)).schema(evolved)
                    .createWriterFunc(GenericParquetWriter::create).withSpec(PartitionSpec.unpartitioned()).build();
            GenericRecord record = GenericRecord.create(evolved);
            for (int i = 1; i <= 4; i++) {
                record.setField("id", (long) ROWS + i);
                record.setField("score", i * 10.0);
                writer.write(record);
            }
            writer.close();
            created.newAppend().appendFile(writer.toDataFile()).commit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }

        given().auth().oauth2(token).queryParam("schema_name", "silver").queryParam("table_name", table)
                .queryParam("column_name", "score").when().get("/api/v1/datalake/numeric_stats")
                .then().statusCode(200).body("count", equalTo(4)).body("mean", equalTo(25.0f))
                .body("median", equalTo(25.0f));
        given().auth().oauth2(token).queryParam("schema", "silver").queryParam("table", table)
                .queryParam("column", "id").when().get("/api/v1/datalake/distinct-count")
                .then().statusCode(200).body("distinct_count", equalTo(ROWS + 4));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown schema   | /api/v1/datalake/tables/columns?schema_name=platinum&table_name=TABLE | 404 | Schema 'platinum'",
        "unknown table    | /api/v1/datalake/tables/columns?schema_name=silver&table_name=nope    | 404 | Table 'nope'",
        "dotted schema    | /api/v1/datalake/schemas/tables?schema_name=silver.x                  | 404 | Schema",
        "unknown column   | /api/v1/datalake/numeric_stats?schema_name=silver&table_name=TABLE&column_name=nope | 404 | Column 'nope'",
        "text column      | /api/v1/datalake/numeric_stats?schema_name=silver&table_name=TABLE&column_name=name | 422 | not numeric",
        "no schema        | /api/v1/datalake/schemas/tables                                        | 422 | schema",
        "no column        | /api/v1/datalake/distinct-count?schema=silver&table=TABLE             | 422 | column",
        "quoting attempt  | /api/v1/datalake/tables/columns?schema_name=silver&table_name=x';drop table iceberg_tables;-- | 404 | not found"
    })
    void badIdentifiersAreClientErrors(String label, String path, int status, String message) {
        given().auth().oauth2(token).urlEncodingEnabled(true).when().get(path.replace("TABLE", table))
                .then().statusCode(status).body("message", containsString(message));
    }

    @Test
    void aNameWithAControlCharacterIsNotFoundRatherThanAnOutage() {
        // The catalog refuses a NUL itself; that must not read as the lakehouse being unavailable (503).
        given().auth().oauth2(token).queryParam("schema_name", "silver\u0000").when()
                .get("/api/v1/datalake/schemas/tables").then().statusCode(404).body("message", containsString("Schema"));
        given().auth().oauth2(token).queryParam("schema_name", "silver").queryParam("table_name", "x\u0000y")
                .when().get("/api/v1/datalake/tables/columns").then().statusCode(404)
                .body("message", containsString("not found"));
    }

    @Test
    void anotherTenantSeesNothingAndThePlatformAdministratorSeesEverything() {
        String stranger = TestTokens.Tenant.random().token(9, "eve", "can_view_datalake");
        given().auth().oauth2(stranger).queryParam("schema_name", "silver").when().get("/api/v1/datalake/schemas/tables")
                .then().statusCode(200).body("", equalTo(List.of()));
        given().auth().oauth2(stranger).queryParam("schema_name", "silver").queryParam("table_name", table)
                .when().get("/api/v1/datalake/table_metadata").then().statusCode(404);
        given().auth().oauth2(stranger).queryParam("schema_name", "silver")
                .queryParam("table_name", tenant.id() + "." + table)
                .when().get("/api/v1/datalake/table_metadata").then().statusCode(404);
        given().auth().oauth2(tenant.token(4, "vic", "can_view")).when().get("/api/v1/datalake/schemas")
                .then().statusCode(403);

        String admin = TestTokens.Tenant.random().platformAdminToken(1, "root");
        List<String> all = given().auth().oauth2(admin).queryParam("schema_name", "silver")
                .when().get("/api/v1/datalake/schemas/tables").then().statusCode(200).extract().jsonPath().getList("");
        assertThat(all).contains(tenant.id() + "." + table);
        given().auth().oauth2(admin).queryParam("schema", "silver").queryParam("table", tenant.id() + "." + table)
                .queryParam("column", "day").when().get("/api/v1/datalake/distinct-count")
                .then().statusCode(200).body("distinct_count", equalTo(90));
    }
}
