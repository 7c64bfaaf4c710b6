package io.dmlp.inference.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmlp.common.error.UnprocessableEntityException;
import io.dmlp.common.schema.DataType;
import io.dmlp.inference.domain.DeployedModel;
import io.dmlp.inference.domain.DeployedModel.Feature;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class FeatureMapperTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final OrtEnvironment ORT = OrtEnvironment.getEnvironment();
    private static final DeployedModel MODEL = new DeployedModel(7, UUID.randomUUID(), "churn", "Churn",
            "Classification", "XGBoost", 1, 2, "s3://b/models/t/7/", List.of(), List.of(
                    new Feature("plan", DataType.STRING, null),
                    new Feature("tenure", DataType.INTEGER, "12"),
                    new Feature("spend", DataType.FLOAT, null),
                    new Feature("active", DataType.BOOLEAN, "true", 1f),
                    new Feature("since", DataType.DATE, "1970-01-03", 2f),
                    new Feature("seen", DataType.DATETIME, null)),
            new Feature("churn", DataType.BOOLEAN, null), List.of("customer"), null, null);

    private static Map<String, OnnxTensor> inputs(JsonNode... requests) throws OrtException {
        return FeatureMapper.inputs(ORT, MODEL, Stream.of(requests).map(r -> FeatureMapper.row(MODEL, r)).toList());
    }

    @Test
    void callsBatchedTogetherKeepTheirOwnValuesInTheirRows() throws Exception {
        Map<String, OnnxTensor> inputs = inputs(JSON.readTree("{\"tenure\": 1, \"plan\": \"a\"}"),
                JSON.readTree("{\"spend\": 2.5}"), JSON.readTree("{\"tenure\": 3, \"plan\": \"c\"}"));
        try {
            assertThat((float[][]) inputs.get("tenure").getValue()).isDeepEqualTo(new float[][] {{1}, {12}, {3}});
            assertThat(((float[][]) inputs.get("spend").getValue())[1][0]).isEqualTo(2.5f);
            assertThat(Float.isNaN(((float[][]) inputs.get("spend").getValue())[0][0])).isTrue();
            assertThat((String[][]) inputs.get("plan").getValue()).isDeepEqualTo(new String[][] {{"a"}, {""}, {"c"}});
            assertThat(inputs.get("active").getInfo().getShape()).containsExactly(3, 1);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    /** What the training job feeds the graph for the same value (dmlp_jobs.tabular.feature_frame). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"tenure\": 3}                          | tenure | 3.0",
        "{\"tenure\": \"3\"}                      | tenure | 3.0",
        "{\"tenure\": 3.0}                        | tenure | 3.0",
        "{}                                       | tenure | 12.0",
        "{\"tenure\": null}                       | tenure | 12.0",
        "{\"spend\": 0.1}                         | spend  | 0.1",
        "{}                                       | spend  | NaN",
        "{\"active\": true}                       | active | 1.0",
        "{\"active\": \"FALSE\"}                  | active | 0.0",
        "{}                                       | active | 1.0",
        "{}                                       | since  | 2.0",
        "{\"since\": \"1970-01-11\"}              | since  | 10.0",
        "{\"seen\": \"1970-01-02T12:00:00Z\"}     | seen   | 1.5",
        "{\"seen\": \"1970-01-02T12:00:00\"}      | seen   | 1.5",
        "{\"seen\": \"1970-01-02T13:00:00+01:00\"} | seen  | 1.5",
    })
    void numbersAreTheFloat32TheTrainingJobFed(String features, String column, float expected) throws Exception {
        Map<String, OnnxTensor> inputs = inputs(JSON.readTree(features));
        try {
            // boxed, so that NaN (the imputer's cue) equals NaN
            assertThat(((float[][]) inputs.get(column).getValue())[0][0]).isEqualTo(Float.valueOf(expected));
            assertThat(inputs).hasSize(MODEL.features().size());
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"plan\": \"pro\"} | pro",
        "{\"plan\": 42}      | 42",
        "{}                  | ''",
    })
    void stringsArePassedAsTextAndAMissingOneIsEmpty(String features, String expected) throws Exception {
        Map<String, OnnxTensor> inputs = inputs(JSON.readTree(features));
        try {
            assertThat(((String[][]) inputs.get("plan").getValue())[0][0]).isEqualTo(expected);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("{\"colour\": \"red\"}", "'features': model 7 has no feature 'colour'"),
                Arguments.of("{\"tenure\": \"three\"}", "'features.tenure': \"three\" is not an Integer"),
                Arguments.of("{\"tenure\": 2.5}", "'features.tenure': 2.5 is not an Integer"),
                Arguments.of("{\"spend\": \"1e999\"}", "'features.spend': \"1e999\" is not a Float"),
                Arguments.of("{\"active\": 1}", "'features.active': 1 is not a Boolean"),
                Arguments.of("{\"since\": \"08-Aug-24\"}", "'features.since': \"08-Aug-24\" is not a Date"),
                Arguments.of("{\"plan\": true}", "'features.plan': true is not a String"),
                Arguments.of("{\"plan\": {\"a\": 1}}", "'features.plan': {\"a\":1} is not a String"));
    }

    @ParameterizedTest
    @MethodSource("refusals")
    void aWrongNameOrTypeIs422NamingTheFeature(String features, String message) {
        assertThatThrownBy(() -> FeatureMapper.row(MODEL, JSON.readTree(features)))
                .isInstanceOf(UnprocessableEntityException.class).hasMessageStartingWith(message);
    }
}
