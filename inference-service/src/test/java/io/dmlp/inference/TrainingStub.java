package io.dmlp.inference;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.dmlp.common.config.DevDefaults;
import io.dmlp.common.security.InternalCaller;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * training-service's internal model list as inference-service reads it on start: one model of {@link #TENANT}, only
 * for the service credential.
 */
public class TrainingStub implements QuarkusTestResourceLifecycleManager {

    static final String TENANT = "7d1f8a52-4c1e-4f7e-9b1d-2f0c3a9e5b10";
    static final long LISTED = 9001;
    static final String PAGE = """
            {"data": [{"tenant_id": "%s", "train_id": %d, "predictor_name": "churn", "domain_name": "Churn",
              "problem_type": "Classification", "algorithm": "XGBoost", "dataset_id": 3, "snapshot_id": 1,
              "preprocess_id": 41, "parent_train_id": null,
              "model": {"algorithm": "XGBoost", "artifacts": "s3://dmlp-test/models/none/9001/",
                "files": ["model.onnx"], "id_columns": ["customer"],
                "schema": [{"column_name": "tenure", "data_type": "Integer", "default_value": "24"},
                           {"column_name": "plan", "data_type": "String", "default_value": null}],
                "target": {"column_name": "churn", "data_type": "Boolean"}, "labels": [false, true],
                "metrics": {"accuracy": 0.9}}}],
             "next_after": null}""".formatted(TENANT, LISTED);

    private WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        server.stubFor(get(urlPathEqualTo("/internal/v1/models")).willReturn(aResponse().withStatus(401)));
        server.stubFor(get(urlPathEqualTo("/internal/v1/models"))
                .withHeader(InternalCaller.HEADER, equalTo(DevDefaults.INTERNAL_TOKEN))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(PAGE)));
        return Map.of("dmlp.inference.training.url", server.baseUrl());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
