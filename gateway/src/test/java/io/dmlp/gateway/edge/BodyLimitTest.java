package io.dmlp.gateway.edge;

import static io.dmlp.gateway.edge.StubbedServices.MAX_BODY;
import static io.dmlp.gateway.edge.StubbedServices.MAX_UPLOAD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Finding 5, at runtime: whatever a request's framing headers say, no service receives more body bytes than the
 * route's limit, and the client is answered in the JSON error body and cut off.
 */
@QuarkusTest
@TestProfile(StubbedServices.class)
class BodyLimitTest {

    private static final long PAST_LIMIT = MAX_BODY + 2 * 1024 * 1024;

    private static String path() {
        return "/api/v1/template/body-" + UUID.randomUUID();
    }

    private static String head(String path, String... headers) {
        return "POST " + path + " HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json"
                + (headers.length == 0 ? "" : "\r\n" + String.join("\r\n", headers));
    }

    /** The stub's record of the one request that reached it on {@code path}, once its body stopped. */
    private static Map<String, Object> forwarded(String path) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> Stub.requestsTo(path), list -> !list.isEmpty())
                .get(0);
    }

    private static void assertRefused(RawHttp.Response response, int status, String message) {
        assertThat(response.status()).isEqualTo(status);
        assertThat(response.header("Connection")).isEqualToIgnoringCase("close");
        JsonPath body = JsonPath.from(response.body());
        assertThat(body.getInt("status_code")).isEqualTo(status);
        assertThat(body.getString("message")).contains(message);
        assertThat(response.closedAfter()).as("connection closed after the refusal").isTrue();
        assertThat(response.writerStopped()).as("the client could not keep streaming").isTrue();
    }

    @Test
    void aChunkedBodyStreamingPastTheLimitIsCutOffAndTheServiceGetsNoMoreThanTheLimit() throws Exception {
        String path = path();

        RawHttp.Response response = RawHttp.exchange(RestAssured.port,
                head(path, "Transfer-Encoding: chunked"), RawHttp.chunked(PAST_LIMIT));

        assertRefused(response, 413, "exceeds the limit of " + MAX_BODY + " bytes for this endpoint.");
        Map<String, Object> forwarded = forwarded(path);
        assertThat(((Number) forwarded.get("received")).longValue()).isLessThanOrEqualTo(MAX_BODY);
        assertThat(forwarded.get("complete")).as("the service saw the body break off, not end").isEqualTo(false);
    }

    @Test
    void aChunkedBodyWithinTheLimitPassesWhole() throws Exception {
        String path = path();

        RawHttp.Response response = RawHttp.exchange(RestAssured.port,
                head(path, "Transfer-Encoding: chunked", "Connection: close"), RawHttp.chunked(1_000_000));

        assertThat(response.status()).isEqualTo(200);
        assertThat(JsonPath.from(response.body()).getLong("received")).isEqualTo(1_000_000);
    }

    @Test
    void gzipChunkedIsRefusedBeforeAnyByteIsForwarded() throws Exception {
        String path = path();

        RawHttp.Response response = RawHttp.exchange(RestAssured.port,
                head(path, "Transfer-Encoding: gzip, chunked"), RawHttp.chunked(PAST_LIMIT));

        assertRefused(response, 501, "Transfer-Encoding gzip, chunked is not supported");
        assertThat(Stub.requestsTo(path)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"chunked|chunked", "gzip|chunked", "identity|chunked"})
    void aRepeatedTransferEncodingHeaderIsRefusedBeforeAnyByteIsForwarded(String codings) throws Exception {
        String path = path();
        String[] headers = List.of(codings.split("\\|")).stream().map(c -> "Transfer-Encoding: " + c)
                .toArray(String[]::new);

        RawHttp.Response response = RawHttp.exchange(RestAssured.port, head(path, headers),
                RawHttp.chunked(PAST_LIMIT));

        assertRefused(response, codings.startsWith("chunked") ? 400 : 501, "Transfer-Encoding");
        assertThat(Stub.requestsTo(path)).isEmpty();
    }

    @Test
    void aLyingSmallContentLengthForwardsOnlyTheDeclaredBytes() throws Exception {
        String path = path();

        // The bytes after the declared 100 are not this request's body: HTTP reads them as a next request.
        RawHttp.Response response = RawHttp.exchange(RestAssured.port, head(path, "Content-Length: 100"),
                RawHttp.raw(PAST_LIMIT));

        assertThat(response.status()).isEqualTo(200);
        assertThat(JsonPath.from(response.body()).getLong("received")).isEqualTo(100);
        assertThat(Stub.state().<Map<String, Object>>getList("requests"))
                .allSatisfy(request -> assertThat(((Number) request.get("received")).longValue())
                        .isLessThanOrEqualTo(MAX_UPLOAD));
        assertThat(Stub.requestsTo(path)).hasSize(1);
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedBeforeAnyByteIsForwarded() throws Exception {
        String path = path();

        RawHttp.Response response = RawHttp.exchange(RestAssured.port,
                head(path, "Content-Length: " + PAST_LIMIT), RawHttp.raw(PAST_LIMIT));

        assertRefused(response, 413, "Request body of " + PAST_LIMIT + " bytes exceeds the limit");
        assertThat(Stub.requestsTo(path)).isEmpty();
    }

    @Test
    void aChunkedUploadIsCountedAgainstTheUploadLimit() throws Exception {
        String small = "/api/v1/dataset/upload";
        RawHttp.Response within = RawHttp.exchange(RestAssured.port,
                head(small, "Transfer-Encoding: chunked", "Connection: close"), RawHttp.chunked(PAST_LIMIT));
        assertThat(within.status()).as("over the small limit, within the upload one").isEqualTo(200);
        assertThat(JsonPath.from(within.body()).getLong("received")).isEqualTo(PAST_LIMIT);

        RawHttp.Response past = RawHttp.exchange(RestAssured.port,
                head("/api/v1/files/add", "Transfer-Encoding: chunked"), RawHttp.chunked(MAX_UPLOAD + 1024 * 1024));

        assertRefused(past, 413, "exceeds the limit of " + MAX_UPLOAD + " bytes for uploads.");
        Map<String, Object> forwarded = forwarded("/api/v1/files/add");
        assertThat(((Number) forwarded.get("received")).longValue()).isLessThanOrEqualTo(MAX_UPLOAD);
        assertThat(forwarded.get("complete")).isEqualTo(false);
    }
}
