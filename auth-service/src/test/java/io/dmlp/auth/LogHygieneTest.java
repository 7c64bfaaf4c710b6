package io.dmlp.auth;

import static io.dmlp.auth.AuthClient.adminToken;
import static io.dmlp.auth.AuthClient.assignRole;
import static io.dmlp.auth.AuthClient.login;
import static io.dmlp.auth.AuthClient.loginOk;
import static io.dmlp.auth.AuthClient.newTenant;
import static io.dmlp.auth.AuthClient.newUser;
import static io.dmlp.auth.AuthClient.roleId;
import static io.dmlp.auth.AuthClient.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Secrets never reach the log, and every identity change leaves its event in the outbox. */
@QuarkusTest
class LogHygieneTest {

    @Inject
    Pool pool;

    @Test
    void noPasswordOrTokenIsLoggedWhateverTheCall() throws Exception {
        String admin = adminToken();
        String tenant = newTenant(admin);
        String name = unique("secretive");
        String password = "Pa55-" + unique("first");
        String newPassword = "Pa55-" + unique("second");
        newUser(admin, tenant, name, password);
        login(name, "Wrong-" + password).then().statusCode(401);
        JsonPath tokens = loginOk(name, password);
        String refreshed = given().queryParam("refresh_token", tokens.getString("refresh_token"))
                .when().post("/api/v1/refresh").then().statusCode(200).extract().path("refresh_token");
        given().auth().oauth2(admin).queryParam("user_name", name).queryParam("new_password", newPassword)
                .when().post("/api/v1/reset-password").then().statusCode(200);
        given().queryParam("refresh_token", refreshed).when().post("/api/v1/logout").then().statusCode(200);

        String log = Files.readString(Path.of("target/auth-service-test.log"));
        assertThat(log).contains("POST /api/v1/reset-password 200").doesNotContain(password).doesNotContain(newPassword)
                .doesNotContain(tokens.getString("access_token")).doesNotContain(tokens.getString("refresh_token"))
                .doesNotContain(refreshed).doesNotContain(admin).doesNotContain("admin123");
    }

    @Test
    void userCreatedAndRoleAssignedAreEvents() {
        String admin = adminToken();
        String tenant = newTenant(admin);
        long userId = newUser(admin, tenant, unique("evented"), "evented-pass-1");
        assignRole(admin, userId, roleId(admin, tenant, "viewer"));

        assertThat(events("io.dmlp.auth.user.created.v1", tenant + "/" + userId)).isEqualTo(1);
        assertThat(events("io.dmlp.auth.role.assigned.v1", tenant + "/" + userId)).isEqualTo(1);
    }

    private long events(String type, String key) {
        return pool.preparedQuery("select count(*) from outbox_event where event_type = $1 and message_key = $2")
                .execute(Tuple.of(type, key)).await().indefinitely().iterator().next().getLong(0);
    }
}
