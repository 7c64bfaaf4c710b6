package io.dmlp.dataset;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** catalog-service as dataset-service sees it: template 5 exists, template 404 does not. */
public class CatalogStub implements QuarkusTestResourceLifecycleManager {

    static final String TEMPLATE = """
            {"template_name": "Telecom", "id": 5, "version": 3, "template_schema": [
              {"column_name": "CustomerID", "data_type": "String", "default_value": null},
              {"column_name": "DataUsageGB", "data_type": "Float", "default_value": "0.0"},
              {"column_name": "Active", "data_type": "Boolean", "default_value": null},
              {"column_name": "Since", "data_type": "Date", "default_value": null}]}""";

    private WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        server.stubFor(get(urlPathEqualTo("/api/v1/template/5"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(TEMPLATE)));
        server.stubFor(get(urlPathEqualTo("/api/v1/template/404")).willReturn(aResponse().withStatus(404)));
        return Map.of("dmlp.catalog.url", server.baseUrl());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
