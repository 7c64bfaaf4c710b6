package io.dmlp.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Contract 7 and the per-client log-in limit: the services learn the client's address from the gateway alone,
 * and a client that passes the limit on the password and refresh-token paths is answered 429 by the gateway.
 * Each test connects from its own loopback address, so each is a client of its own.
 */
@QuarkusTest
@TestProfile(StubbedServices.class)
class ClientAddressTest {

    private static RawHttp.Response send(String from, String method, String target, String... headers)
            throws IOException {
        try (Socket socket = RawHttp.connect(RestAssured.port, from)) {
            StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: gateway\r\n"
                    + "Content-Length: 0\r\nConnection: close\r\n");
            for (String header : headers) {
                head.append(header).append("\r\n");
            }
            head.append("\r\n");
            socket.getOutputStream().write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            return RawHttp.read(socket.getInputStream());
        }
    }

    @Test
    void theServiceSeesThePeerAddressAndNoneOfTheClientsClaims() throws IOException {
        String path = "/api/v1/template/address-" + UUID.randomUUID();

        RawHttp.Response response = send("127.0.0.4", "GET", path, "X-Forwarded-For: 203.0.113.7",
                "X-Forwarded-For: 198.51.100.1", "Forwarded: for=203.0.113.7", "X-Real-IP: 203.0.113.7");

        assertThat(response.status()).isEqualTo(200);
        Map<String, Object> forwarded = Stub.requestsTo(path).get(0);
        assertThat(forwarded.get("x_forwarded_for")).isEqualTo(List.of("127.0.0.4"));
        assertThat(forwarded.get("forwarded")).isNull();
        assertThat(forwarded.get("x_real_ip")).isNull();
    }

    @Test
    void aClientPastItsLoginLimitGets429WithRetryAfterWhateverItClaimsToBe() throws IOException {
        String client = "127.0.0.2";
        for (int i = 0; i < StubbedServices.LOGIN_BURST; i++) {
            assertThat(send(client, "POST", "/api/v1/login/access-token").status()).isEqualTo(200);
        }

        RawHttp.Response refused = send(client, "POST", "/api/v1/login/access-token",
                "X-Forwarded-For: 203.0.113.9");

        assertThat(refused.status()).isEqualTo(429);
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 60L);
        JsonPath body = JsonPath.from(refused.body());
        assertThat(body.getInt("status_code")).isEqualTo(429);
        assertThat(body.getString("message")).startsWith("Too many attempts from this address");
        // The other limited paths share the client's budget, however their path is spelled.
        for (String target : new String[] {"/api/v1/refresh?refresh_token=x", "/api/v1/reset-password",
                "/api/v1/login/access-token/", "/api/v1/login/./access-token", "/api/v1/login//access-token",
                "/api/v1/login/access-token;x=1"}) {
            assertThat(send(client, "POST", target).status()).as(target).isEqualTo(429);
        }
        // Other paths and other clients are not affected.
        assertThat(send(client, "GET", "/api/v1/users/me").status()).isEqualTo(200);
        assertThat(send("127.0.0.3", "POST", "/api/v1/login/access-token").status()).isEqualTo(200);
    }
}
