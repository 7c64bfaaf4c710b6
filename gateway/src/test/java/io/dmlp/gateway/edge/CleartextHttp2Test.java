package io.dmlp.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The public port speaks HTTP/1.1 only: h2c (HTTP/2 without TLS, by upgrade or with prior knowledge) would
 * frame bodies without the headers the gateway's checks read, and nothing needs it.
 */
@QuarkusTest
@TestProfile(StubbedServices.class)
class CleartextHttp2Test {

    /** The client connection preface and an empty SETTINGS frame (RFC 9113 3.4). */
    private static final byte[] PRIOR_KNOWLEDGE_PREFACE = concat(
            "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1),
            new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0});

    @Test
    void anUpgradeToH2cIsIgnored() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();

        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + RestAssured.port + "/api/v1/template/h2c-upgrade")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void priorKnowledgeH2cIsRefused() throws Exception {
        try (Socket socket = RawHttp.connect(RestAssured.port, "127.0.0.1")) {
            socket.getOutputStream().write(PRIOR_KNOWLEDGE_PREFACE);
            socket.getOutputStream().flush();

            byte[] answer = readUpTo(socket.getInputStream(), 16);

            // An HTTP/2 server answers with its SETTINGS frame (binary, type 4 in the fourth byte); an HTTP/1.x
            // server reads "PRI * HTTP/2.0" as a malformed request line and refuses it in text.
            assertThat(new String(answer, StandardCharsets.ISO_8859_1)).matches("HTTP/\\d\\.\\d 4\\d\\d .*");
        }
    }

    private static byte[] readUpTo(InputStream in, int n) throws IOException {
        return in.readNBytes(n);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
