package io.dmlp.common.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.dmlp.common.error.ApiException;
import io.dmlp.common.error.DependencyUnavailableException;
import io.dmlp.common.error.PermissionDeniedException;
import io.dmlp.common.error.ResourceNotFoundException;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a caller of another DMLP service sees for each of that service's answers, and that its token goes along. */
@QuarkusTest
class ServiceClientTest {

    /** A resource of some other service, as a REST Client interface. */
    @Path("/api/v1/things")
    public interface ThingApi {
        @GET
        @Path("/{id}")
        Uni<Response> thing(@PathParam("id") String id, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization);
    }

    private static WireMockServer stub;

    @Inject
    ObjectMapper json;

    @BeforeAll
    static void start() {
        stub = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        stub.start();
        stub.stubFor(get(urlEqualTo("/api/v1/things/ok")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"name\": \"thing\", \"size\": 3}")));
        stub.stubFor(get(urlEqualTo("/api/v1/things/garbled")).willReturn(aResponse().withStatus(200)
                .withBody("<html>proxy error</html>")));
        stub.stubFor(get(urlEqualTo("/api/v1/things/missing")).willReturn(aResponse().withStatus(404)
                .withBody("{\"message\": \"not found\"}")));
        stub.stubFor(get(urlEqualTo("/api/v1/things/unauthenticated")).willReturn(aResponse().withStatus(401)));
        stub.stubFor(get(urlEqualTo("/api/v1/things/forbidden")).willReturn(aResponse().withStatus(403)));
        stub.stubFor(get(urlEqualTo("/api/v1/things/broken")).willReturn(aResponse().withStatus(500)
                .withBody("java.lang.NullPointerException at ...")));
        stub.stubFor(get(urlEqualTo("/api/v1/things/slow")).willReturn(aResponse().withStatus(200)
                .withFixedDelay(7_000).withBody("{}")));
    }

    @AfterAll
    static void stop() {
        stub.stop();
    }

    private ServiceClient<ThingApi> client(String baseUrl) {
        return new ServiceClient<>("thing-service", baseUrl, ThingApi.class, json);
    }

    private Uni<com.fasterxml.jackson.databind.JsonNode> read(ServiceClient<ThingApi> client, String id,
            String authorization) {
        return client.get(api -> api.thing(id, authorization), "thing " + id,
                () -> new ResourceNotFoundException("Thing " + id + " not found."));
    }

    @Test
    void aFoundResourceIsItsJsonAndTheCallersTokenGoesAlong() {
        var body = read(client(stub.baseUrl()), "ok", "Bearer caller-token").await().indefinitely();
        assertThat(body.path("name").asText()).isEqualTo("thing");
        assertThat(body.path("size").asInt()).isEqualTo(3);
        stub.verify(getRequestedFor(urlEqualTo("/api/v1/things/ok"))
                .withHeader(HttpHeaders.AUTHORIZATION, equalTo("Bearer caller-token")));
    }

    @Test
    void noTokenSendsNoAuthorizationHeader() {
        assertThatThrownBy(() -> read(client(stub.baseUrl()), "unauthenticated", null).await().indefinitely())
                .isInstanceOf(PermissionDeniedException.class);
        stub.verify(getRequestedFor(urlEqualTo("/api/v1/things/unauthenticated"))
                .withHeader(HttpHeaders.AUTHORIZATION, absent()));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
            "missing,         ResourceNotFoundException,      404, Thing missing not found.",
            "unauthenticated, PermissionDeniedException,      403, You may not read thing unauthenticated.",
            "forbidden,       PermissionDeniedException,      403, You may not read thing forbidden.",
            "broken,          DependencyUnavailableException, 503, thing-service answered 500 for thing broken.",
            "garbled,         DependencyUnavailableException, 503, thing-service answered unreadable JSON.",
            "slow,            DependencyUnavailableException, 503, thing-service is not reachable.",
    })
    void eachAnswerOfTheServiceBecomesOneClearError(String id, String exception, int status, String message) {
        assertThatThrownBy(() -> read(client(stub.baseUrl()), id, "Bearer t").await().indefinitely())
                .satisfies(e -> {
                    assertThat(e.getClass().getSimpleName()).isEqualTo(exception);
                    assertThat(((ApiException) e).status()).isEqualTo(status);
                    assertThat(e.getMessage()).isEqualTo(message)
                            .doesNotContain("NullPointerException"); // the other service's insides stay there
                });
    }

    @Test
    void aServiceThatIsDownIsUnavailable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        assertThatThrownBy(() -> read(client("http://127.0.0.1:" + closedPort), "ok", "Bearer t")
                .await().indefinitely())
                .isInstanceOf(DependencyUnavailableException.class).hasMessage("thing-service is not reachable.");
    }
}
