package io.dmlp.auth;

import static io.dmlp.auth.AuthClient.ADMIN_PASSWORD;
import static io.dmlp.auth.AuthClient.adminToken;
import static io.dmlp.auth.AuthClient.claims;
import static io.dmlp.auth.AuthClient.login;
import static io.dmlp.auth.AuthClient.loginOk;
import static io.dmlp.auth.AuthClient.newTenant;
import static io.dmlp.auth.AuthClient.newUser;
import static io.dmlp.auth.AuthClient.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

@QuarkusTest
class LoginTest {

    @Inject
    Pool pool;

    @Test
    void theBootstrapAdminLogsInWithTheGuidesForm() {
        JsonPath tokens = loginOk("admin", ADMIN_PASSWORD);

        assertThat(tokens.getString("token_type")).isEqualTo("bearer");
        assertThat(tokens.getString("refresh_token")).isNotBlank();
        assertThat(tokens.getInt("expires_in")).isEqualTo(900);
        JsonPath claims = claims(tokens.getString("access_token"));
        assertThat(claims.getString("iss")).isEqualTo("dmlp-auth");
        assertThat(claims.getString("upn")).isEqualTo("admin");
        assertThat(claims.getString("sub")).matches("\\d+");
        assertThat(claims.getString("tenant_id")).hasSize(36);
        assertThat(claims.getString("sid")).hasSize(36);
        assertThat(claims.getString("aud")).isEqualTo("dmlp");
        assertThat(claims.getList("groups", String.class)).contains("can_manage_users").doesNotContain("platform_admin");
        assertThat(claims.getBoolean("platform_admin")).isTrue();
        assertThat(claims.getLong("exp") - claims.getLong("iat")).isEqualTo(900);
    }

    @Test
    void testTokenReturnsTheUserRolesAndPermissions() {
        given().auth().oauth2(adminToken())
                .when().post("/api/v1/login/test-token")
                .then().statusCode(200)
                .body("username", equalTo("admin"))
                .body("is_active", equalTo(true))
                .body("tenant_id", notNullValue())
                .body("first_name", equalTo("Platform"))
                .body("roles", hasItem("admin"))
                .body("permissions", hasItem("can_train_models"));
    }

    @Test
    void wrongPasswordAndUnknownUserLookTheSame() {
        // Never the bootstrap admin: its failures would count towards a lockout shared by every test.
        String admin = adminToken();
        String username = unique("mistyped");
        newUser(admin, newTenant(admin), username, "right-pass-1");
        login(username, "not-the-password").then().statusCode(401)
                .body("status_code", equalTo(401))
                .body("message", equalTo("Incorrect username or password."));
        login(unique("nobody"), "whatever1").then().statusCode(401)
                .body("message", equalTo("Incorrect username or password."));
    }

    @Test
    void missingFieldsAndWrongGrantTypeAreClientErrors() {
        given().contentType("application/x-www-form-urlencoded").formParam("username", "admin")
                .when().post("/api/v1/login/access-token")
                .then().statusCode(422).body("message", containsString("password"));
        given().contentType("application/x-www-form-urlencoded").formParam("username", "admin")
                .formParam("password", ADMIN_PASSWORD).formParam("grant_type", "client_credentials")
                .when().post("/api/v1/login/access-token")
                .then().statusCode(400);
        given().contentType("application/json").body("{}")
                .when().post("/api/v1/login/access-token")
                .then().statusCode(415).body("status_code", equalTo(415));
    }

    @Test
    void refreshRotatesAndAReusedTokenEndsTheWholeSession() {
        JsonPath first = loginOk("admin", ADMIN_PASSWORD);
        String firstRefresh = first.getString("refresh_token");

        JsonPath second = given().queryParam("refresh_token", firstRefresh)
                .when().post("/api/v1/refresh")
                .then().statusCode(200).body("token_type", equalTo("bearer")).extract().jsonPath();
        String secondRefresh = second.getString("refresh_token");
        assertThat(secondRefresh).isNotEqualTo(firstRefresh);
        assertThat(claims(second.getString("access_token")).getString("sid"))
                .isEqualTo(claims(first.getString("access_token")).getString("sid"));

        given().queryParam("refresh_token", firstRefresh)
                .when().post("/api/v1/refresh")
                .then().statusCode(401).body("message", containsString("already used"));

        given().queryParam("refresh_token", secondRefresh).when().post("/api/v1/refresh").then().statusCode(401);
        given().auth().oauth2(second.getString("access_token")).when().get("/api/v1/validate-token")
                .then().statusCode(401);
        assertThat(eventCount("io.dmlp.auth.session.ended.v1", claims(first.getString("access_token")).getString("sid")))
                .isEqualTo(1);
    }

    @Test
    void logoutEndsTheSessionAndItsAccessTokensAtOnce() {
        JsonPath tokens = loginOk("admin", ADMIN_PASSWORD);
        String access = tokens.getString("access_token");
        given().auth().oauth2(access).when().get("/api/v1/validate-token")
                .then().statusCode(200)
                .body("status", equalTo("success")).body("message", equalTo("Token is valid."));

        given().queryParam("refresh_token", tokens.getString("refresh_token"))
                .when().post("/api/v1/logout")
                .then().statusCode(200)
                .body("status", equalTo(200)).body("message", equalTo("User successfully logged out"));

        given().auth().oauth2(access).when().get("/api/v1/validate-token").then().statusCode(401);
        given().auth().oauth2(access).when().post("/api/v1/login/test-token").then().statusCode(401);
        given().queryParam("refresh_token", tokens.getString("refresh_token"))
                .when().post("/api/v1/refresh").then().statusCode(401);
        given().queryParam("refresh_token", "made-up").when().post("/api/v1/logout").then().statusCode(401);
        given().when().post("/api/v1/logout").then().statusCode(422);
    }

    @Test
    void anInactiveUserCannotLogInOrRefresh() {
        String admin = adminToken();
        String tenant = newTenant(admin);
        String username = unique("leaver");
        long userId = newUser(admin, tenant, username, "leaver-pass-1");
        String refresh = loginOk(username, "leaver-pass-1").getString("refresh_token");

        given().auth().oauth2(admin).when().post("/api/v1/users/" + userId + "/deactivate")
                .then().statusCode(200).body("is_active", equalTo(false));

        login(username, "leaver-pass-1").then().statusCode(403).body("message", equalTo("This account is deactivated."));
        given().queryParam("refresh_token", refresh).when().post("/api/v1/refresh").then().statusCode(401);
    }

    @Test
    void everyFailedLoginIsAnAuditEvent() {
        String username = unique("audit");
        login(username, "wrong-1").then().statusCode(401);
        login(username, "wrong-2").then().statusCode(401);

        assertThat(eventCount("io.dmlp.auth.login.failed.v1", username)).isEqualTo(2);
    }

    @Test
    void aUsernameLongerThanAnyUserCanHaveIsRefusedLikeAnyUnknownOneAndAuditedUnderItsFirst150Characters() {
        String username = unique("long") + "x".repeat(1000);
        login(username, "wrong-1").then().statusCode(401).body("message", equalTo("Incorrect username or password."));

        assertThat(eventCount("io.dmlp.auth.login.failed.v1", username.substring(0, 150))).isEqualTo(1);
    }

    private long eventCount(String type, String subjectPart) {
        return pool.preparedQuery("select count(*) from outbox_event where event_type = $1 and message_key like $2")
                .execute(Tuple.of(type, "%/" + subjectPart)).await().indefinitely().iterator().next().getLong(0);
    }
}
