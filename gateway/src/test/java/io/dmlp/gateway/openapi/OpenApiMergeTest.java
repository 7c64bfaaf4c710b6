package io.dmlp.gateway.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The merge of the services' documents: what a client of the gateway finds in the platform's one document. */
class OpenApiMergeTest {

    private static JsonObject document(String paths, String schemas) {
        return new JsonObject("{\"openapi\":\"3.1.0\",\"paths\":" + paths + ",\"components\":{\"schemas\":" + schemas
                + "},\"tags\":[{\"name\":\"Shared\"}]}");
    }

    private static final String ERROR = "{\"ErrorBody\":{\"type\":\"object\"}}";

    @Test
    void eachRoutedPathOnceWithItsServiceAndNoUnroutedOne() {
        JsonObject training = document("{\"/api/v1/train\":{\"post\":{}},\"/api/v1/train/result\":{\"post\":{}}}", ERROR);
        JsonObject inference = document("{\"/api/v1/inference\":{\"post\":{}},\"/api/v1/train\":{\"get\":{}}}", ERROR);

        JsonObject merged = OpenApiMerge.merge(new JsonObject().put("title", "t"), List.of(
                new OpenApiMerge.Part("training-service", training,
                        path -> path.startsWith("/api/v1/train") && !path.endsWith("/result")),
                new OpenApiMerge.Part("inference-service", inference, path -> path.startsWith("/api/v1/inference"))));

        assertThat(merged.getJsonObject("paths").fieldNames())
                .containsExactlyInAnyOrder("/api/v1/train", "/api/v1/inference");
        assertThat(merged.getJsonObject("paths").getJsonObject("/api/v1/train").fieldNames()).containsExactly("post");
        assertThat(merged.getJsonObject("paths").getJsonObject("/api/v1/inference").getJsonObject("post")
                .getString("x-dmlp-service")).isEqualTo("inference-service");
        assertThat(merged.getJsonObject("components").getJsonObject("schemas").fieldNames())
                .containsExactly("ErrorBody");
        assertThat(merged.getJsonArray("tags")).hasSize(1);
    }

    @Test
    void aNameTwoServicesUseForDifferentThingsIsPrefixedWithItsReferences() {
        String ref = "{\"post\":{\"requestBody\":{\"$ref\":\"#/components/schemas/Column\"}}}";
        JsonObject catalog = document("{\"/api/v1/template\":" + ref + "}", "{\"Column\":{\"type\":\"object\"}}");
        JsonObject datalake = document("{\"/api/v1/datalake\":" + ref + "}", "{\"Column\":{\"type\":\"string\"}}");

        JsonObject merged = OpenApiMerge.merge(new JsonObject(), List.of(
                new OpenApiMerge.Part("catalog-service", catalog, path -> true),
                new OpenApiMerge.Part("datalake-service", datalake, path -> true)));

        JsonObject schemas = merged.getJsonObject("components").getJsonObject("schemas");
        assertThat(schemas.getJsonObject("Column").getString("type")).isEqualTo("object");
        assertThat(schemas.getJsonObject("datalake_service_Column").getString("type")).isEqualTo("string");
        assertThat(merged.getJsonObject("paths").getJsonObject("/api/v1/datalake").getJsonObject("post")
                .getJsonObject("requestBody").getString("$ref")).isEqualTo("#/components/schemas/datalake_service_Column");
        assertThat(merged.getJsonObject("paths").getJsonObject("/api/v1/template").getJsonObject("post")
                .getJsonObject("requestBody").getString("$ref")).isEqualTo("#/components/schemas/Column");
    }
}
