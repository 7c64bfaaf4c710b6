package io.dmlp.auth;

import static io.dmlp.auth.AuthClient.adminToken;
import static io.dmlp.auth.AuthClient.assignRole;
import static io.dmlp.auth.AuthClient.claims;
import static io.dmlp.auth.AuthClient.createUser;
import static io.dmlp.auth.AuthClient.login;
import static io.dmlp.auth.AuthClient.loginOk;
import static io.dmlp.auth.AuthClient.newTenant;
import static io.dmlp.auth.AuthClient.newUser;
import static io.dmlp.auth.AuthClient.roleId;
import static io.dmlp.auth.AuthClient.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
class UsersAndRolesTest {

    @Test
    void thePlatformAdminCreatesAndListsTenants() {
        String admin = adminToken();
        String name = unique("acme");

        given().auth().oauth2(admin).contentType("application/json").body(Map.of("name", name))
                .when().post("/api/v1/tenants")
                .then().statusCode(201)
                .body("name", equalTo(name))
                .body("id", org.hamcrest.Matchers.matchesPattern("[0-9a-f-]{36}"))
                .body("created_at", org.hamcrest.Matchers.notNullValue());
        given().auth().oauth2(admin).contentType("application/json").body(Map.of("name", name.toUpperCase()))
                .when().post("/api/v1/tenants").then().statusCode(409);
        given().auth().oauth2(admin).when().get("/api/v1/tenants")
                .then().statusCode(200).body("data.name", hasItem(name));
        given().auth().oauth2(admin).contentType("text/plain").body(name)
                .when().post("/api/v1/tenants")
                .then().statusCode(415).body("status_code", equalTo(415));
    }

    @Test
    void aNewTenantHasTheSeededRolesAndItsAdminManagesOnlyIt() {
        String admin = adminToken();
        String tenant = newTenant(admin);
        String other = newTenant(admin);
        String tenantAdmin = unique("boss");
        long bossId = newUser(admin, tenant, tenantAdmin, "boss-pass-1");
        assignRole(admin, bossId, roleId(admin, tenant, "admin"));
        String boss = loginOk(tenantAdmin, "boss-pass-1").getString("access_token");

        given().auth().oauth2(boss).when().get("/api/v1/rbac/roles/")
                .then().statusCode(200)
                .body("name", org.hamcrest.Matchers.containsInAnyOrder("admin", "data_scientist", "viewer"));
        given().auth().oauth2(boss).when().get("/api/v1/rbac/permissions/")
                .then().statusCode(200).body("name", hasItem("can_train_models")).body("tenant_id", hasItem(tenant));

        // Own tenant: fine. Another tenant: refused. Tenants themselves: platform admin only.
        long memberId = newUser(boss, tenant, unique("member"), "member-pass-1");
        createUser(boss, other, unique("intruder"), "intruder-pass-1").then().statusCode(403);
        given().auth().oauth2(boss).contentType("application/json").body(Map.of("name", unique("x")))
                .when().post("/api/v1/tenants").then().statusCode(403);
        given().auth().oauth2(boss).when().get("/api/v1/tenants").then().statusCode(403);

        // Another tenant's user is a 404, never a 403.
        long outsiderId = newUser(admin, other, unique("outsider"), "outsider-pass-1");
        given().auth().oauth2(boss).when().get("/api/v1/users/" + outsiderId)
                .then().statusCode(404).body("status_code", equalTo(404));
        given().auth().oauth2(boss).when().get("/api/v1/users/" + memberId).then().statusCode(200);
        given().auth().oauth2(boss).when().get("/api/v1/users/read-users/")
                .then().statusCode(200).body("count", equalTo(2)).body("data.tenant_id", not(hasItem(other)));
    }

    @Test
    void createUserAnswersTheGuidesShapeAndRefusesDuplicates() {
        String admin = adminToken();
        String tenant = newTenant(admin);
        String username = unique("jane");

        JsonPath created = createUser(admin, tenant, username, "Password123!").then().statusCode(201)
                .body("username", equalTo(username))
                .body("tenant_id", equalTo(tenant))
                .body("first_name", equalTo("Test"))
                .body("is_active", equalTo(true))
                .body("$", not(org.hamcrest.Matchers.hasKey("password")))
                .body("$", not(org.hamcrest.Matchers.hasKey("password_hash")))
                .extract().jsonPath();

        createUser(admin, tenant, username.toUpperCase(), "Password123!").then().statusCode(409);
        given().auth().oauth2(admin).contentType("application/json")
                .body(Map.of("tenant_id", tenant, "email", "dup-" + username + "@example.com",
                        "username", unique("first"), "password", "Password123!"))
                .when().post("/api/v1/users/create-user").then().statusCode(201);
        given().auth().oauth2(admin).contentType("application/json")
                .body(Map.of("tenant_id", tenant, "email", "DUP-" + username + "@example.com",
                        "username", unique("second"), "password", "Password123!"))
                .when().post("/api/v1/users/create-user").then().statusCode(409);
        given().auth().oauth2(admin).when().get("/api/v1/users/" + created.getLong("id"))
                .then().statusCode(200).body("email", containsString("@example.com"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"short", "same-as-username"})
    void thePasswordPolicyIsA422(String kind) {
        String admin = adminToken();
        String username = unique("policy");
        String password = kind.equals("short") ? "Ab1!" : username.toUpperCase();

        createUser(admin, newTenant(admin), username, password).then().statusCode(422)
                .body("message", containsString(kind.equals("short") ? "at least 8" : "username"));
    }

    @Test
    void badUserInputIsA422NamingTheField() {
        String admin = adminToken();
        given().auth().oauth2(admin).contentType("application/json")
                .body(Map.of("tenant_id", newTenant(admin), "email", "not-an-email", "username", unique("u"),
                        "password", "Password123!"))
                .when().post("/api/v1/users/create-user")
                .then().statusCode(422).body("details.field", hasItem("email"));
        given().auth().oauth2(admin).contentType("application/json").body("{\"username\": 5")
                .when().post("/api/v1/users/create-user")
                .then().statusCode(400);
        given().auth().oauth2(admin).contentType("application/json")
                .body(Map.of("tenant_id", "not-a-uuid", "email", "a@example.com", "username", unique("u"),
                        "password", "Password123!"))
                .when().post("/api/v1/users/create-user")
                .then().statusCode(400).body("message", containsString("UUID"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"o'brien \"the\" user", "zoë-测试-ユーザー", "x"})
    void oddButPrintableUsernamesWork(String username) {
        String admin = adminToken();
        String name = username + "-" + unique("u");

        newUser(admin, newTenant(admin), name, "odd-pass-123");
        assertThat(loginOk(name, "odd-pass-123").getString("access_token")).isNotBlank();
    }

    @Test
    void overlongOrControlCharacterUsernamesAreA422() {
        String admin = adminToken();
        String tenant = newTenant(admin);

        createUser(admin, tenant, "u".repeat(300), "long-pass-123").then().statusCode(422);
        createUser(admin, tenant, "bad\nname", "long-pass-123").then().statusCode(422);
        login(unique("long") + "u".repeat(290), "whatever-123").then().statusCode(401);
    }

    @Test
    void readUsersPaginatesWithSkipAndLimit() {
        String admin = adminToken();
        String tenant = newTenant(admin);
        for (int i = 0; i < 3; i++) {
            newUser(admin, tenant, unique("page"), "page-pass-1");
        }

        given().auth().oauth2(admin).queryParam("tenant_id", tenant).queryParam("skip", 1).queryParam("limit", 1)
                .when().get("/api/v1/users/read-users/")
                .then().statusCode(200).body("count", equalTo(3)).body("data", hasSize(1));
        given().auth().oauth2(admin).queryParam("limit", 0)
                .when().get("/api/v1/users/read-users/").then().statusCode(422);
    }

    @Test
    void aMissingPermissionIsA403() {
        String admin = adminToken();
        String tenant = newTenant(admin);
        String viewerName = unique("viewer");
        long viewerId = newUser(admin, tenant, viewerName, "viewer-pass-1");
        assignRole(admin, viewerId, roleId(admin, tenant, "viewer"));
        String viewer = loginOk(viewerName, "viewer-pass-1").getString("access_token");

        given().auth().oauth2(viewer).when().get("/api/v1/users/read-users/")
                .then().statusCode(403).body("message", containsString("can_manage_users"));
        createUser(viewer, tenant, unique("nope"), "nope-pass-123").then().statusCode(403);
        given().auth().oauth2(viewer).contentType("application/json").body(Map.of("name", "hacker"))
                .when().post("/api/v1/rbac/roles/").then().statusCode(403);
        given().auth().oauth2(viewer).when().get("/api/v1/users/" + viewerId).then().statusCode(200);
    }

    @Test
    void rolesAndPermissionsTakeEffectAtTheNextRefresh() {
        String admin = adminToken();
        String tenant = newTenant(admin);
        String name = unique("analyst");
        long userId = newUser(admin, tenant, name, "analyst-pass-1");
        JsonPath before = loginOk(name, "analyst-pass-1");
        assertThat(claims(before.getString("access_token")).getList("groups", String.class)).isEmpty();

        long roleId = given().auth().oauth2(admin).contentType("application/json")
                .body(Map.of("name", "forecaster", "tenant_id", tenant))
                .when().post("/api/v1/rbac/roles/")
                .then().statusCode(201).body("name", equalTo("forecaster")).body("tenant_id", equalTo(tenant))
                .extract().jsonPath().getLong("id");
        given().auth().oauth2(admin).contentType("application/json").body(Map.of("name", "forecaster", "tenant_id", tenant))
                .when().post("/api/v1/rbac/roles/").then().statusCode(409);
        long permissionId = given().auth().oauth2(admin).contentType("application/json")
                .body(Map.of("name", "custom:forecast", "tenant_id", tenant))
                .when().post("/api/v1/rbac/permissions/")
                .then().statusCode(201).body("name", equalTo("custom:forecast")).extract().jsonPath().getLong("id");
        given().auth().oauth2(admin).contentType("application/json").body(Map.of("permission_id", permissionId))
                .when().post("/api/v1/rbac/roles/" + roleId + "/permissions")
                .then().statusCode(200).body("permissions.name", hasItem("custom:forecast"));
        given().auth().oauth2(admin).contentType("application/json").body(Map.of("role_id", roleId))
                .when().post("/api/v1/users/" + userId + "/roles")
                .then().statusCode(200).body("roles", hasItem("forecaster"));

        String refreshed = given().queryParam("refresh_token", before.getString("refresh_token"))
                .when().post("/api/v1/refresh").then().statusCode(200).extract().path("access_token");
        assertThat(claims(refreshed).getList("groups", String.class)).containsExactly("custom:forecast");

        given().auth().oauth2(admin).when().delete("/api/v1/rbac/roles/" + roleId + "/permissions/" + permissionId)
                .then().statusCode(200).body("permissions", hasSize(0));
        given().auth().oauth2(admin).when().delete("/api/v1/users/" + userId + "/roles/" + roleId)
                .then().statusCode(200).body("roles", hasSize(0));
        given().auth().oauth2(admin).when().delete("/api/v1/users/" + userId + "/roles/" + roleId)
                .then().statusCode(404);
        given().auth().oauth2(admin).when().delete("/api/v1/rbac/roles/" + roleId + "/permissions/" + permissionId)
                .then().statusCode(404);
    }

    @Test
    void resetPasswordBySelfNeedsTheCurrentPasswordAndEndsOtherSessions() {
        String admin = adminToken();
        String tenant = newTenant(admin);
        String name = unique("selfreset");
        newUser(admin, tenant, name, "old-pass-123");
        JsonPath laptop = loginOk(name, "old-pass-123");
        JsonPath phone = loginOk(name, "old-pass-123");

        given().auth().oauth2(laptop.getString("access_token"))
                .queryParam("user_name", name).queryParam("new_password", "new-pass-123")
                .when().post("/api/v1/reset-password").then().statusCode(422);
        given().auth().oauth2(laptop.getString("access_token")).contentType("application/json")
                .body(Map.of("user_name", name, "new_password", "new-pass-123", "current_password", "wrong-123"))
                .when().post("/api/v1/reset-password").then().statusCode(403);
        given().auth().oauth2(laptop.getString("access_token")).contentType("application/json")
                .body(Map.of("user_name", name, "new_password", "new-pass-123", "current_password", "old-pass-123"))
                .when().post("/api/v1/reset-password")
                .then().statusCode(200)
                .body("status", equalTo(200)).body("message", equalTo("Password has been reset successfully"));

        given().auth().oauth2(laptop.getString("access_token")).when().get("/api/v1/validate-token").then().statusCode(200);
        given().auth().oauth2(phone.getString("access_token")).when().get("/api/v1/validate-token").then().statusCode(401);
        login(name, "old-pass-123").then().statusCode(401);
        login(name, "new-pass-123").then().statusCode(200);
    }

    @Test
    void anAdministratorResetsWithTheGuidesQueryFormWithinTheirTenantOnly() {
        String admin = adminToken();
        String tenant = newTenant(admin);
        String name = unique("forgetful");
        newUser(admin, tenant, name, "lost-pass-123");
        String session = loginOk(name, "lost-pass-123").getString("access_token");

        given().auth().oauth2(admin).queryParam("user_name", name).queryParam("new_password", "short")
                .when().post("/api/v1/reset-password").then().statusCode(422);
        given().auth().oauth2(admin).queryParam("user_name", name).queryParam("new_password", "found-pass-123")
                .when().post("/api/v1/reset-password").then().statusCode(200);

        given().auth().oauth2(session).when().get("/api/v1/validate-token").then().statusCode(401);
        login(name, "found-pass-123").then().statusCode(200);

        String otherTenantAdmin = unique("otherboss");
        String other = newTenant(admin);
        assignRole(admin, newUser(admin, other, otherTenantAdmin, "other-pass-123"), roleId(admin, other, "admin"));
        given().auth().oauth2(loginOk(otherTenantAdmin, "other-pass-123").getString("access_token"))
                .queryParam("user_name", name).queryParam("new_password", "taken-over-123")
                .when().post("/api/v1/reset-password").then().statusCode(404);
        given().when().post("/api/v1/reset-password?user_name=" + name + "&new_password=x12345678")
                .then().statusCode(401);
    }
}
