package io.dmlp.common.client;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** How the client meets Ray's failures: transient ones are retried, refusals are not, garbage is a 503. */
@QuarkusTest
@TestProfile(RayJobClientFailureTest.Stubbed.class)
class RayJobClientFailureTest {

    public static class Stubbed implements QuarkusTestProfile {
        @Override
        public java.util.List<TestResourceEntry> testResources() {
            return java.util.List.of(new TestResourceEntry(RayStub.class));
        }
    }

    @Inject
    RayJobClient ray;

    @ConfigProperty(name = "dmlp.ray.url")
    String stubUrl;

    @Test
    void aTransientServerErrorIsRetried() {
        assertThat(ray.submit("job-1", "python x.py", Map.of(), Map.of()).await().indefinitely()).isEqualTo("job-1");
        assertThat(requests("POST", "/api/jobs/")).isEqualTo(3);
    }

    @Test
    void aRefusalIsNotRetried() {
        assertThatThrownBy(() -> ray.status("bad").await().indefinitely())
                .isInstanceOf(RayRequestException.class).hasMessageContaining("Invalid submission id");
        assertThat(requests("GET", "/api/jobs/bad")).isEqualTo(1);
    }

    @Test
    void anAnswerThatIsNotJsonIsADependencyFailure() {
        assertThatThrownBy(() -> ray.logs("garbled").await().indefinitely())
                .isInstanceOf(RayUnavailableException.class).hasMessageContaining("not JSON");
    }

    private int requests(String method, String url) {
        return given().baseUri(stubUrl).contentType("application/json")
                .body(Map.of("method", method, "url", url))
                .when().post("/__admin/requests/count")
                .then().statusCode(200).extract().path("count");
    }
}
