package io.dmlp.auth;

import static io.restassured.RestAssured.given;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The identity API as a test drives it: log-ins, tenants and users with fresh names. */
final class AuthClient {

    static final String ADMIN_PASSWORD = "admin123";

    private AuthClient() {
    }

    static Response login(String username, String password) {
        return given().contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .formParam("username", username).formParam("password", password)
                .when().post("/api/v1/login/access-token");
    }

    /** A log-in as the gateway forwards it from {@code client} (it sets X-Forwarded-For to the peer it sees). */
    static Response loginFrom(String client, String username, String password) {
        return given().header("X-Forwarded-For", client)
                .contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .formParam("username", username).formParam("password", password)
                .when().post("/api/v1/login/access-token");
    }

    static JsonPath loginOk(String username, String password) {
        return login(username, password).then().statusCode(200).extract().jsonPath();
    }

    static String adminToken() {
        return loginOk("admin", ADMIN_PASSWORD).getString("access_token");
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A new tenant (with its seeded roles), made by the platform admin; returns its id. */
    static String newTenant(String adminToken) {
        return given().auth().oauth2(adminToken).contentType("application/json")
                .body(Map.of("name", unique("tenant")))
                .when().post("/api/v1/tenants")
                .then().statusCode(201).extract().path("id");
    }

    static Response createUser(String token, String tenantId, String username, String password) {
        return given().auth().oauth2(token).contentType("application/json")
                .body(Map.of("tenant_id", tenantId, "first_name", "Test", "last_name", "User",
                        "email", username.replaceAll("[^A-Za-z0-9]", "") + UUID.randomUUID().toString().substring(0, 6)
                                + "@example.com",
                        "username", username, "password", password))
                .when().post("/api/v1/users/create-user");
    }

    static long newUser(String token, String tenantId, String username, String password) {
        return createUser(token, tenantId, username, password).then().statusCode(201).extract().jsonPath()
                .getLong("id");
    }

    /** The id of a seeded role ("admin", "data_scientist", "viewer") of the platform admin's view of a tenant. */
    static long roleId(String adminToken, String tenantId, String name) {
        List<Map<String, Object>> roles = given().auth().oauth2(adminToken).queryParam("tenant_id", tenantId)
                .when().get("/api/v1/rbac/roles/").then().statusCode(200).extract().jsonPath().getList("$");
        return roles.stream().filter(r -> name.equals(r.get("name"))).map(r -> ((Number) r.get("id")).longValue())
                .findFirst().orElseThrow();
    }

    static void assignRole(String adminToken, long userId, long roleId) {
        given().auth().oauth2(adminToken).contentType("application/json").body(Map.of("role_id", roleId))
                .when().post("/api/v1/users/" + userId + "/roles").then().statusCode(200);
    }

    static long userId(String token) {
        return Long.parseLong(claims(token).getString("sub"));
    }

    /** A new role of the tenant granting exactly {@code permissions}, made by the platform admin; returns its id. */
    static long newRole(String adminToken, String tenantId, String... permissions) {
        long roleId = given().auth().oauth2(adminToken).contentType("application/json")
                .body(Map.of("name", unique("role"), "tenant_id", tenantId))
                .when().post("/api/v1/rbac/roles/").then().statusCode(201).extract().jsonPath().getLong("id");
        List<Map<String, Object>> all = given().auth().oauth2(adminToken).queryParam("tenant_id", tenantId)
                .when().get("/api/v1/rbac/permissions/").then().statusCode(200).extract().jsonPath().getList("$");
        for (String permission : permissions) {
            Object id = all.stream().filter(p -> permission.equals(p.get("name"))).map(p -> p.get("id"))
                    .findFirst().orElseThrow();
            given().auth().oauth2(adminToken).contentType("application/json").body(Map.of("permission_id", id))
                    .when().post("/api/v1/rbac/roles/" + roleId + "/permissions").then().statusCode(200);
        }
        return roleId;
    }

    /** A new user of the tenant holding {@code roleIds}, logged in; returns its access token. */
    static String userWithRoles(String adminToken, String tenantId, long... roleIds) {
        String name = unique("user");
        long id = newUser(adminToken, tenantId, name, "user-pass-123");
        for (long roleId : roleIds) {
            assignRole(adminToken, id, roleId);
        }
        return loginOk(name, "user-pass-123").getString("access_token");
    }

    /** The decoded claims of a JWT (no verification: the server is what verifies). */
    static JsonPath claims(String jwt) {
        return JsonPath.from(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
    }
}
