package io.dmlp.catalog;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.dmlp.common.event.CloudEvent;
import io.dmlp.common.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A template made from a dataset takes the dataset's name and columns from dataset-service's events on Kafka
 * (catalog-service never calls dataset-service): only the dataset's own tenant sees them, a redelivery changes
 * nothing, and a deleted dataset is forgotten.
 */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class TemplateFromDatasetTest {

    private static final List<Map<String, Object>> STATIONS = List.of(
            column("station", "String"), column("load", "Float"), column("peak", "Boolean"), column("day", "Date"));

    @Inject
    DatasetEventFeed feed;

    @Test
    void aTemplateMadeRightAfterTheDatasetsEventHasItsColumnsAndName() throws Exception {
        TestTokens.Tenant tenant = TestTokens.Tenant.random();
        String token = tenant.token(31, "gus", "can_manage_templates", "can_view");
        long datasetId = DatasetEventFeed.randomDatasetId();
        String datasetName = "Stations " + UUID.randomUUID();

        // Asked at once: the event is still on its way, the request waits for it as a user right after an upload.
        feed.publish(created(tenant.id(), datasetId, datasetName, STATIONS));
        Response made = fromDataset(token, datasetId, null);

        assertThat(made.statusCode()).as(made.asString()).isEqualTo(201);
        given().auth().oauth2(token).when().get("/api/v1/template/" + made.jsonPath().getLong("id"))
                .then().statusCode(200)
                .body("template_name", equalTo(datasetName + " template"))
                .body("template_schema.column_name", equalTo(List.of("station", "load", "peak", "day")))
                .body("template_schema.data_type", equalTo(List.of("String", "Float", "Boolean", "Date")));
    }

    @Test
    void aRedeliveredEventDoesNotBringBackADeletedDataset() throws Exception {
        TestTokens.Tenant tenant = TestTokens.Tenant.random();
        String token = tenant.token(32, "hal", "can_manage_templates", "can_view");
        long datasetId = DatasetEventFeed.randomDatasetId();
        CloudEvent created = created(tenant.id(), datasetId, "Gone " + UUID.randomUUID(), STATIONS);
        feed.publish(created);
        assertThat(fromDataset(token, datasetId, "Before " + UUID.randomUUID()).statusCode()).isEqualTo(201);

        // Deleted, then the creation delivered again, then a marker on the same partition: once the marker can be
        // used, the redelivery has been consumed too.
        long markerId = DatasetEventFeed.randomDatasetId();
        feed.publish(feed.deleted(tenant.id(), datasetId));
        feed.publish(created, created.partitionKey());
        feed.publish(created(tenant.id(), markerId, "Marker " + UUID.randomUUID(), STATIONS), created.partitionKey());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> fromDataset(token, markerId, "Marker " + UUID.randomUUID()).statusCode() == 201);

        fromDataset(token, datasetId, "After " + UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void anotherTenantsDatasetIsNotFoundAndItsEventsChangeNothingHere() throws Exception {
        TestTokens.Tenant owner = TestTokens.Tenant.random();
        TestTokens.Tenant other = TestTokens.Tenant.random();
        String ownerToken = owner.token(33, "ida", "can_manage_templates", "can_view");
        String otherToken = other.token(34, "jon", "can_manage_templates", "can_view");
        long datasetId = DatasetEventFeed.randomDatasetId();
        feed.publish(created(owner.id(), datasetId, "Owned " + UUID.randomUUID(), STATIONS));
        assertThat(fromDataset(ownerToken, datasetId, "Mine " + UUID.randomUUID()).statusCode()).isEqualTo(201);

        fromDataset(otherToken, datasetId, "Theirs " + UUID.randomUUID()).then().statusCode(404);

        // The other tenant forges a creation and a deletion of the same dataset id; a marker of the owner behind
        // them on the same partition shows when both have been consumed.
        String partitionKey = UUID.randomUUID().toString();
        long markerId = DatasetEventFeed.randomDatasetId();
        feed.publish(created(other.id(), datasetId, "Forged", List.of(column("x", "Integer"))), partitionKey);
        feed.publish(feed.deleted(other.id(), datasetId), partitionKey);
        feed.publish(created(owner.id(), markerId, "Marker " + UUID.randomUUID(), STATIONS), partitionKey);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> fromDataset(ownerToken, markerId, "Marker " + UUID.randomUUID()).statusCode() == 201);

        Response again = fromDataset(ownerToken, datasetId, "Still mine " + UUID.randomUUID());
        assertThat(again.statusCode()).isEqualTo(201);
        given().auth().oauth2(ownerToken).when().get("/api/v1/template/" + again.jsonPath().getLong("id"))
                .then().body("template_schema.column_name", equalTo(List.of("station", "load", "peak", "day")));
        fromDataset(otherToken, datasetId, "Theirs " + UUID.randomUUID()).then().statusCode(404);
    }

    private static Response fromDataset(String token, long datasetId, String templateName) {
        var request = given().auth().oauth2(token).queryParam("dataset_id", datasetId);
        if (templateName != null) {
            request = request.queryParam("template_name", templateName);
        }
        return request.when().post("/api/v1/template/from-dataset");
    }

    private CloudEvent created(String tenantId, long datasetId, String name, List<Map<String, Object>> columns) {
        Map<String, Object> data = new LinkedHashMap<>(); // an inferred schema: no template
        data.put("dataset_id", datasetId);
        data.put("template_id", null);
        data.put("template_version", null);
        data.put("dataset_name", name);
        data.put("dataset_schema", columns);
        return feed.created(tenantId, datasetId, data);
    }

    private static Map<String, Object> column(String name, String type) {
        Map<String, Object> column = new LinkedHashMap<>();
        column.put("column_name", name);
        column.put("data_type", type);
        column.put("default_value", null);
        return column;
    }
}
