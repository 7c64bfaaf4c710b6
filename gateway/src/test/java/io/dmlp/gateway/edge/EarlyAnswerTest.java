package io.dmlp.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.dmlp.gateway.CapturedLog;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A service may answer before it has read a request's body (404, 401, 413...) and then close or reset the
 * connection while the gateway is still sending that body. The client gets the service's answer, never a 502,
 * and its connection is closed after it, since the rest of its body was never read.
 */
@QuarkusTest
@TestProfile(EarlyAnswers.class)
class EarlyAnswerTest {

    private static final long BODY = 5L * 1024 * 1024;
    private static final int REPETITIONS = 20;

    private static String head(String method, String path, String framing) {
        return method + " " + path + " HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\n" + framing;
    }

    /** The status, body and connection state of each exchange, so that a failure shows how many went wrong. */
    private static String outcome(RawHttp.Response response) {
        return response.status() + " " + response.body() + (response.closedAfter() ? " closed" : " open")
                + (response.writerStopped() ? "" : " still-streaming");
    }

    @ParameterizedTest
    @ValueSource(strings = {"reset", "close", "late-close"})
    void anEarlyAnswerReachesTheClientWhenTheServiceDropsALargeBody(String how) throws Exception {
        List<String> outcomes = new ArrayList<>();
        for (int i = 0; i < REPETITIONS; i++) {
            String path = "/api/v1/template/" + how + "-" + UUID.randomUUID();
            outcomes.add(outcome(RawHttp.exchange(RestAssured.port,
                    head("PUT", path, "Content-Length: " + BODY), RawHttp.raw(BODY))));
            outcomes.add(outcome(RawHttp.exchange(RestAssured.port,
                    head("POST", path, "Transfer-Encoding: chunked"), RawHttp.chunked(BODY))));
        }

        assertThat(outcomes).hasSize(2 * REPETITIONS).containsOnly("404 " + EarlyAnswerStub.ANSWER + " closed");
    }

    @RepeatedTest(3)
    void aServiceThatIsDownIsStillA502WithALargeBody() throws Exception {
        RawHttp.Response response = RawHttp.exchange(RestAssured.port,
                head("PUT", "/api/v1/datalake/table", "Content-Length: " + BODY), RawHttp.raw(BODY));

        assertThat(response.status()).isEqualTo(502);
        assertThat(JsonPath.from(response.body()).getString("message"))
                .isEqualTo("datalake-service is not reachable; try again shortly.");
    }

    @Test
    void aSmallBodyGetsTheEarlyAnswerToo() throws Exception {
        RawHttp.Response response = RawHttp.exchange(RestAssured.port,
                head("PUT", "/api/v1/template/close-" + UUID.randomUUID(), "Content-Length: 2"), RawHttp.raw(2));

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.body()).isEqualTo(EarlyAnswerStub.ANSWER);
    }

    @Test
    void aClientLeavingBeforeTheServiceAnswersIsNotLoggedAsTheServiceBeingUnreachable() throws Exception {
        try (CapturedLog log = CapturedLog.start()) {
            String path = "/api/v1/template/slow-" + UUID.randomUUID();
            try (Socket client = RawHttp.connect(RestAssured.port, "127.0.0.1")) {
                client.getOutputStream().write((head("GET", path, "") + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                client.getOutputStream().flush();
                Thread.sleep(300); // the request is at the service, which takes a second to answer
            }
            Thread.sleep(1500); // past the service's answer: a failure to reach it would have been logged by now

            assertThat(log.lines()).filteredOn(l -> l.contains(path))
                    .noneMatch(l -> l.contains("not reachable"));
        }
    }
}
