package io.dmlp.gateway.edge;

import static io.restassured.RestAssured.given;

import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;

/** The tests' view of {@link UpstreamStub}, over HTTP. */
final class Stub {

    private Stub() {
    }

    static String url() {
        return ConfigProvider.getConfig().getValue("dmlp.gateway.services.catalog-service.url", String.class);
    }

    static JsonPath state() {
        return given().get(url() + "/__stub/requests").then().statusCode(200).extract().jsonPath();
    }

    /** Every request the stub received on {@code path}. */
    static List<Map<String, Object>> requestsTo(String path) {
        return state().<Map<String, Object>>getList("requests").stream()
                .filter(request -> path.equals(request.get("path")))
                .toList();
    }

    static int readinessCalls() {
        return state().getInt("readiness_calls");
    }

    /** What every service's readiness answers from now on. */
    static void readiness(int status, String body) {
        given().body(body).post(url() + "/__stub/readiness?status=" + status).then().statusCode(204);
    }
}
