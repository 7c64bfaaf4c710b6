package io.dmlp.catalog;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import io.dmlp.common.event.CloudEvent;
import io.dmlp.common.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Template deletion follows dataset events from Kafka: refused while a dataset uses the template. Events apply
 * only to their own tenant's templates.
 */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class TemplateUsageTest {


    @Inject
    DatasetEventFeed feed;

    @Test
    void aTemplateInUseCannotBeDeletedUntilItsDatasetsAreGone() throws Exception {
        TestTokens.Tenant tenant = TestTokens.Tenant.random();
        String token = tenant.token(21, "dana", "can_manage_templates", "can_view");
        long templateId = new TemplateApiTest().create(token, TemplateApiTest.telecom("In use " + UUID.randomUUID()));
        long datasetId = DatasetEventFeed.randomDatasetId();

        CloudEvent created = created(tenant.id(), datasetId, templateId);
        feed.publish(created);
        feed.publish(created); // a redelivery changes nothing

        awaitUsage(token, templateId, 1);
        given().auth().oauth2(token).when().delete("/api/v1/template/" + templateId)
                .then().statusCode(409).body("message", containsString("used by 1 dataset"));

        feed.publish(feed.deleted(tenant.id(), datasetId));

        await().atMost(Duration.ofSeconds(30)).until(() -> given().auth().oauth2(token)
                .when().delete("/api/v1/template/" + templateId).statusCode() == 200);
    }

    @Test
    void anotherTenantsDatasetDeletedFreesNothing() throws Exception {
        TestTokens.Tenant tenant = TestTokens.Tenant.random();
        String token = tenant.token(22, "ed", "can_manage_templates", "can_view");
        long templateId = new TemplateApiTest().create(token, TemplateApiTest.telecom("Kept " + UUID.randomUUID()));
        long datasetId = DatasetEventFeed.randomDatasetId();
        feed.publish(created(tenant.id(), datasetId, templateId));
        awaitUsage(token, templateId, 1);

        // A forged deletion of the same dataset id under another tenant, then a marker on the same partition: once
        // the marker counts, the forgery has been consumed too.
        String partitionKey = UUID.randomUUID().toString();
        feed.publish(feed.deleted(UUID.randomUUID().toString(), datasetId), partitionKey);
        feed.publish(created(tenant.id(), DatasetEventFeed.randomDatasetId(), templateId), partitionKey);

        awaitUsage(token, templateId, 2);
        given().auth().oauth2(token).when().delete("/api/v1/template/" + templateId)
                .then().statusCode(409).body("message", containsString("used by 2 dataset"));
    }

    @Test
    void anotherTenantsDatasetCreatedDoesNotCountAgainstThisTenantsTemplate() throws Exception {
        TestTokens.Tenant tenant = TestTokens.Tenant.random();
        String token = tenant.token(23, "flo", "can_manage_templates", "can_view");
        long templateId = new TemplateApiTest().create(token, TemplateApiTest.telecom("Mine " + UUID.randomUUID()));
        long markerTemplateId = new TemplateApiTest().create(token, TemplateApiTest.telecom("Marker " + UUID.randomUUID()));

        // Another tenant claims a dataset made from this tenant's template; the marker behind it on the same
        // partition shows when the claim has been consumed.
        String partitionKey = UUID.randomUUID().toString();
        feed.publish(created(UUID.randomUUID().toString(), DatasetEventFeed.randomDatasetId(), templateId), partitionKey);
        feed.publish(created(tenant.id(), DatasetEventFeed.randomDatasetId(), markerTemplateId), partitionKey);

        awaitUsage(token, markerTemplateId, 1);
        assertThat(usage(token, templateId)).isZero();
        given().auth().oauth2(token).when().delete("/api/v1/template/" + templateId).then().statusCode(200);
    }

    private CloudEvent created(String tenantId, long datasetId, long templateId) {
        return feed.created(tenantId, datasetId, Map.of("dataset_id", datasetId, "template_id", templateId,
                "template_version", 1));
    }

    private static int usage(String token, long templateId) {
        return given().auth().oauth2(token).when().get("/api/v1/template/" + templateId)
                .jsonPath().getInt("used_by_datasets");
    }

    private static void awaitUsage(String token, long templateId, int uses) {
        await().atMost(Duration.ofSeconds(30)).until(() -> usage(token, templateId) == uses);
    }
}
