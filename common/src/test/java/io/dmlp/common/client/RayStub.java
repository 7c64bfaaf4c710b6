package io.dmlp.common.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** An HTTP stub of Ray's error replies, for the client's retry and failure handling. */
public class RayStub implements QuarkusTestResourceLifecycleManager {

    private WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        // Right after a start Ray answers 500 "No available agent" for a moment: twice, then it works.
        server.stubFor(post(urlEqualTo("/api/jobs/")).inScenario("agent").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(500).withBody("No available agent to submit job"))
                .willSetStateTo("second"));
        server.stubFor(post(urlEqualTo("/api/jobs/")).inScenario("agent").whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(500).withBody("No available agent to submit job"))
                .willSetStateTo("ready"));
        server.stubFor(post(urlEqualTo("/api/jobs/")).inScenario("agent").whenScenarioStateIs("ready")
                .willReturn(aResponse().withStatus(200).withBody("{\"submission_id\": \"job-1\"}")));
        server.stubFor(get(urlEqualTo("/api/jobs/bad")).willReturn(aResponse().withStatus(400)
                .withBody("Invalid submission id")));
        server.stubFor(get(urlEqualTo("/api/jobs/garbled/logs")).willReturn(aResponse().withStatus(200)
                .withBody("<html>proxy error</html>")));
        return Map.of("dmlp.ray.url", server.baseUrl(), "dmlp.ray.token-file", "");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
