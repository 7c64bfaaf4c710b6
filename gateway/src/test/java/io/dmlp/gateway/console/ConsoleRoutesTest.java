package io.dmlp.gateway.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The console at /: its files with a strict CSP, index.html for the app's own paths, the API untouched. */
@QuarkusTest
@TestProfile(ConsoleRoutesTest.BuiltConsole.class)
class ConsoleRoutesTest {

    static final String INDEX = "<!doctype html><title>console</title><script type=\"module\" src=\"/assets/app-1a2b3c.js\"></script>";
    static final String SCRIPT = "console.log('app');";

    /** A console build in a temporary directory, as `npm run build` leaves it. */
    public static class BuiltConsole implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path parent = Files.createTempDirectory("console");
                Path dir = Files.createDirectories(parent.resolve("dist/assets")).getParent();
                Files.writeString(dir.resolve("index.html"), INDEX);
                Files.writeString(dir.resolve("assets/app-1a2b3c.js"), SCRIPT);
                Files.writeString(parent.resolve("secret.txt"), "outside");
                return Map.of("dmlp.console.dir", dir.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Test
    void theRootIsTheAppWithAStrictContentSecurityPolicy() {
        given().when().get("/")
                .then().statusCode(200)
                .contentType(startsWith("text/html"))
                .header("Content-Security-Policy", containsString("default-src 'self'"))
                .header("Content-Security-Policy", containsString("script-src 'self';"))
                .header("Content-Security-Policy", containsString("connect-src 'self'"))
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("Content-Security-Policy", not(containsString("unsafe-inline")))
                .header("X-Content-Type-Options", "nosniff")
                .header("Cache-Control", "no-cache")
                .body(equalTo(INDEX));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/models/42", "/datasets", "/templates/", "/models/42/anything?tab=metrics"})
    void theAppsOwnPathsGetIndexHtmlSoTheyCanBeReloadedAndShared(String path) {
        given().when().get(path)
                .then().statusCode(200)
                .contentType(startsWith("text/html"))
                .header("Content-Security-Policy", containsString("default-src 'self'"))
                .body(equalTo(INDEX));
    }

    @Test
    void aHashedAssetIsCachedForAYear() {
        given().when().get("/assets/app-1a2b3c.js")
                .then().statusCode(200)
                .contentType(containsString("javascript"))
                .header("Cache-Control", "public, max-age=31536000, immutable")
                .body(equalTo(SCRIPT));
    }

    @Test
    void aMissingAssetIsA404NotTheApp() {
        given().when().get("/assets/app-000000.js")
                .then().statusCode(404)
                .body("status_code", equalTo(404));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/../secret.txt", "/%2e%2e/secret.txt", "/assets/../../secret.txt", "/..%2fsecret.txt"})
    void nothingOutsideTheBuildIsServed(String path) {
        given().urlEncodingEnabled(false).when().get(path)
                .then().body(not(containsString("outside")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/no-such-endpoint", "/api/v2/models", "/q/nothing", "/internal/v1/models", "/api"})
    void theApiKeepsItsJson404s(String path) {
        given().when().get(path)
                .then().statusCode(404)
                .header("Content-Security-Policy", (String) null)
                .body(not(containsString("<title>console</title>")));
    }

    @Test
    void otherMethodsOnTheAppsPathsAreNotServed() {
        given().when().post("/models/42")
                .then().statusCode(not(equalTo(200)))
                .body(not(containsString("<title>console</title>")));
    }
}
