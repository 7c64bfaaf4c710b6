package io.dmlp.gateway.edge;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Contract 6: Ray's callbacks are reached on the internal network only; the gateway answers 404 for them. */
@QuarkusTest
@TestProfile(StubbedServices.class)
class InternalPathsTest {

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/dataset/statistics/result", "/api/v1/train/result", "/api/v1/train/shap-result",
            "/api/v1/train/result/", "/api/v1/train/./result", "/api/v1/train/x/../result", "/api/v1/train/resul%74",
            "/api/v1//train/result", "/api/v1/train/result;jsessionid=1", "/api/v1/train/result/extra",
            "/api/v1/inference/batch-result", "/api/v1/inference/forecast-result",
            "/api/v1/inference/./batch-result/"})
    void callbacksAre404AndNeverForwarded(String path) throws IOException {
        // Sent raw: HTTP clients tidy such paths up before sending them.
        try (Socket socket = RawHttp.connect(RestAssured.port, "127.0.0.1")) {
            socket.getOutputStream().write(("POST " + path + "?job=1 HTTP/1.1\r\nHost: gateway\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
                    .getBytes(StandardCharsets.ISO_8859_1));
            RawHttp.Response response = RawHttp.read(socket.getInputStream());

            assertThat(response.status()).isEqualTo(404);
            assertThat(response.body()).contains("\"status_code\":404").contains("No endpoint POST ");
        }
        assertThat(Stub.state().<String>getList("requests.path")).noneMatch(p -> p.contains("result"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/train/shap", "/api/v1/dataset/statistics", "/api/v1/train/list"})
    void neighbouringPathsStillReachTheService(String path) {
        given().when().get(path).then().statusCode(200).body("received", equalTo(0));
        assertThat(Stub.requestsTo(path)).isNotEmpty();
    }

    @Test
    void theAnswerIsTheOneErrorBody() {
        given().when().post("/api/v1/train/result").then().statusCode(404)
                .body("status_code", equalTo(404))
                .body("message", startsWith("No endpoint POST /api/v1/train/result"));
    }
}
