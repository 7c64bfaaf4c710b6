package io.dmlp.auth;

import static io.dmlp.auth.AuthClient.ADMIN_PASSWORD;
import static io.dmlp.auth.AuthClient.adminToken;
import static io.dmlp.auth.AuthClient.assignRole;
import static io.dmlp.auth.AuthClient.claims;
import static io.dmlp.auth.AuthClient.loginOk;
import static io.dmlp.auth.AuthClient.newRole;
import static io.dmlp.auth.AuthClient.newTenant;
import static io.dmlp.auth.AuthClient.newUser;
import static io.dmlp.auth.AuthClient.roleId;
import static io.dmlp.auth.AuthClient.unique;
import static io.dmlp.auth.AuthClient.userId;
import static io.dmlp.auth.AuthClient.userWithRoles;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The escalation paths of issue 8, each as an attacker would take it: all refused. */
@QuarkusTest
class EscalationTest {

    @Inject
    Pool pool;

    /** Tenant T with a user manager, a role manager, a tenant admin, a platform admin and plain users. */
    record World(String admin, String tenant, String userManager, String roleManager, String boss,
            long bossId, long platformAdminId, String platformAdminName, long plainId, String plainName,
            long viewerRoleId, long adminRoleId, String defaultUserManager) {
    }

    private static World world;

    private World world() {
        if (world == null) {
            String admin = adminToken();
            String tenant = newTenant(admin);
            String bossName = unique("boss");
            long bossId = newUser(admin, tenant, bossName, "boss-pass-123");
            long adminRole = roleId(admin, tenant, "admin");
            assignRole(admin, bossId, adminRole);
            String platformAdminName = unique("operator");
            long platformAdminId = newUser(admin, tenant, platformAdminName, "operator-pass-123");
            makePlatformAdmin(platformAdminId);
            String plainName = unique("plain");
            long plainId = newUser(admin, tenant, plainName, "plain-pass-123");
            String defaultTenant = claims(admin).getString("tenant_id");
            world = new World(admin, tenant,
                    userWithRoles(admin, tenant, newRole(admin, tenant, "can_manage_users")),
                    userWithRoles(admin, tenant, newRole(admin, tenant, "can_manage_roles")),
                    loginOk(bossName, "boss-pass-123").getString("access_token"), bossId, platformAdminId,
                    platformAdminName, plainId, plainName, roleId(admin, tenant, "viewer"), adminRole,
                    userWithRoles(admin, defaultTenant, newRole(admin, defaultTenant, "can_manage_users")));
        }
        return world;
    }

    // --- 1. platform administration comes from the user record only ---

    @Test
    void aTenantAdminCannotMakeItselfPlatformAdmin() {
        World w = world();
        given().auth().oauth2(w.boss()).contentType("application/json").body(Map.of("name", "platform_admin"))
                .when().post("/api/v1/rbac/permissions")
                .then().statusCode(422).body("message", containsString("custom:"));

        // Even a legacy permission row of that name, granted to the tenant's admin role, makes nobody an operator.
        long legacy = pool.preparedQuery("insert into permission (tenant_id, name) values ($1, 'platform_admin')"
                        + " returning id").execute(Tuple.of(java.util.UUID.fromString(w.tenant())))
                .await().indefinitely().iterator().next().getLong(0);
        given().auth().oauth2(w.boss()).contentType("application/json").body(Map.of("permission_id", legacy))
                .when().post("/api/v1/rbac/roles/" + w.adminRoleId() + "/permissions").then().statusCode(200);
        String again = loginOk(claims(w.boss()).getString("upn"), "boss-pass-123").getString("access_token");

        assertThat(claims(again).getList("groups", String.class)).contains("platform_admin");
        assertThat(claims(again).getBoolean("platform_admin")).isFalse();
        given().auth().oauth2(again).when().get("/api/v1/tenants").then().statusCode(403);
        given().auth().oauth2(again).queryParam("tenant_id", claims(w.admin()).getString("tenant_id"))
                .when().get("/api/v1/users/read-users/").then().statusCode(403);
    }

    @Test
    void thePlatformAdminIsTheUserRecordsFlagCarriedAsItsOwnClaim() {
        World w = world();
        String operator = loginOk(w.platformAdminName(), "operator-pass-123").getString("access_token");

        assertThat(claims(operator).getBoolean("platform_admin")).isTrue();
        assertThat(claims(operator).getList("groups", String.class)).isEmpty();
        given().auth().oauth2(operator).when().get("/api/v1/tenants").then().statusCode(200);
        assertThat(claims(adminToken()).getBoolean("platform_admin")).isTrue();
    }

    // --- 2. the permission catalogue is fixed; tenants name theirs custom:<name> ---

    static Stream<Arguments> permissionNames() {
        return Stream.of(
                Arguments.of("platform_admin", 422),
                Arguments.of("can_train_models", 422),
                Arguments.of("can_forecast", 422),
                Arguments.of("custom:", 422),
                Arguments.of("custom:two words", 422),
                Arguments.of("custom:" + "x".repeat(65), 422),
                Arguments.of("custom:platform_admin", 201),
                Arguments.of("custom:Forecast-v2." + "x".repeat(43), 201));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("permissionNames")
    void aTenantCreatesOnlyCustomPermissions(String name, int status) {
        Response created = given().auth().oauth2(world().boss()).contentType("application/json")
                .body(Map.of("name", status == 201 ? name + unique("").substring(1) : name))
                .when().post("/api/v1/rbac/permissions");

        assertThat(created.statusCode()).as(created.asString()).isEqualTo(status);
        if (status == 422) {
            assertThat(created.jsonPath().getString("message")).contains("custom:<name>");
        }
    }

    // --- 3. a caller reaches only what its own rights cover; only the platform admin manages the platform admin ---

    record Attempt(String name, Function<World, Response> call, int status) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Attempt> attempts() {
        return Stream.of(
                new Attempt("user manager of tenant default resets the bootstrap admin",
                        w -> reset(w.defaultUserManager(), "admin", ADMIN_PASSWORD), 403),
                new Attempt("user manager resets a tenant admin",
                        w -> reset(w.userManager(), claims(w.boss()).getString("upn"), "taken-over-123"), 403),
                new Attempt("user manager deactivates a tenant admin",
                        w -> post(w.userManager(), "/api/v1/users/" + w.bossId() + "/deactivate", null), 403),
                new Attempt("role manager grants a permission it lacks to its own new role",
                        w -> grant(w.roleManager(), ownRole(w.roleManager()), permissionId(w, "can_train_models")),
                        403),
                new Attempt("role manager assigns the admin role",
                        w -> post(w.roleManager(), "/api/v1/users/" + w.plainId() + "/roles",
                                Map.of("role_id", w.adminRoleId())), 403),
                new Attempt("role manager takes a role from a tenant admin",
                        w -> delete(w.roleManager(), "/api/v1/users/" + w.bossId() + "/roles/" + w.adminRoleId()),
                        403),
                new Attempt("role manager revokes from a role holding more than it",
                        w -> delete(w.roleManager(), "/api/v1/rbac/roles/" + w.viewerRoleId() + "/permissions/"
                                + permissionId(w, "can_view")), 403),
                new Attempt("tenant admin resets the platform admin",
                        w -> reset(w.boss(), w.platformAdminName(), "taken-over-123"), 403),
                new Attempt("tenant admin deactivates the platform admin",
                        w -> post(w.boss(), "/api/v1/users/" + w.platformAdminId() + "/deactivate", null), 403),
                new Attempt("tenant admin gives the platform admin a role",
                        w -> post(w.boss(), "/api/v1/users/" + w.platformAdminId() + "/roles",
                                Map.of("role_id", w.viewerRoleId())), 403),
                // Within reach: still allowed.
                new Attempt("user manager resets a user without rights",
                        w -> reset(w.userManager(), w.plainName(), "reset-pass-123"), 200),
                new Attempt("role manager grants what it holds to its own new role",
                        w -> grant(w.roleManager(), ownRole(w.roleManager()), permissionId(w, "can_manage_roles")),
                        200),
                new Attempt("tenant admin assigns the viewer role",
                        w -> post(w.boss(), "/api/v1/users/" + newUser(w.admin(), w.tenant(), unique("fresh"),
                                "fresh-pass-123") + "/roles", Map.of("role_id", w.viewerRoleId())), 200));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attempts")
    void aCallerActsOnlyWithinItsReach(Attempt attempt) {
        Response response = attempt.call().apply(world());

        assertThat(response.statusCode()).as(response.asString()).isEqualTo(attempt.status());
        if (attempt.status() == 403) {
            assertThat(response.jsonPath().getInt("status_code")).isEqualTo(403);
        }
    }

    @Test
    void thePlatformAdminStillManagesEveryone() {
        World w = world();
        String target = unique("managed");
        long id = newUser(w.admin(), w.tenant(), target, "managed-pass-123");
        assignRole(w.admin(), id, w.adminRoleId());

        reset(w.admin(), target, "managed-pass-456").then().statusCode(200);
        post(w.admin(), "/api/v1/users/" + id + "/deactivate", null).then().statusCode(200)
                .body("is_active", equalTo(false));
    }

    // --- 4. taking rights away ends the holders' sessions, everywhere, but the caller's own ---

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"role removed from the user", "permission revoked from the role"})
    void aRoleChangeEndsTheHoldersSessionsButNotTheCallers(String change) {
        String admin = adminToken();
        String tenant = newTenant(admin);
        long role = newRole(admin, tenant, "can_view");
        String holderName = unique("holder");
        long holderId = newUser(admin, tenant, holderName, "holder-pass-123");
        assignRole(admin, holderId, role);
        String holder = loginOk(holderName, "holder-pass-123").getString("access_token");
        String boss = userWithRoles(admin, tenant, roleId(admin, tenant, "admin"));
        given().auth().oauth2(holder).when().get("/api/v1/users/" + holderId).then().statusCode(200);

        String path = change.startsWith("role") ? "/api/v1/users/" + holderId + "/roles/" + role
                : "/api/v1/rbac/roles/" + role + "/permissions/" + permissionId(admin, tenant, "can_view");
        delete(boss, path).then().statusCode(200);

        given().auth().oauth2(holder).when().get("/api/v1/validate-token").then().statusCode(401);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> given().auth().oauth2(holder).when().get("/api/v1/users/" + holderId).statusCode() == 401);
        given().auth().oauth2(boss).when().get("/api/v1/validate-token").then().statusCode(200);
        assertThat(endedEvents(claims(holder).getString("sid"), "role_changed")).isEqualTo(1);
    }

    // --- 6. one refresh token, presented in parallel: one rotation, and the rest is reuse ---

    @Test
    void parallelRefreshesWithOneTokenRotateOnceAndEndTheSession() throws Exception {
        String admin = adminToken();
        String name = unique("racer");
        newUser(admin, newTenant(admin), name, "racer-pass-123");
        var tokens = loginOk(name, "racer-pass-123");
        String refresh = tokens.getString("refresh_token");
        int parallel = 6;
        CyclicBarrier start = new CyclicBarrier(parallel);
        ExecutorService threads = Executors.newFixedThreadPool(parallel);
        List<Future<Response>> answers = new ArrayList<>();
        for (int i = 0; i < parallel; i++) {
            answers.add(threads.submit(() -> {
                start.await();
                return given().queryParam("refresh_token", refresh).when().post("/api/v1/refresh");
            }));
        }
        List<Response> responses = new ArrayList<>();
        for (Future<Response> answer : answers) {
            responses.add(answer.get(30, TimeUnit.SECONDS));
        }
        threads.shutdown();

        List<Response> rotated = responses.stream().filter(r -> r.statusCode() == 200).toList();
        assertThat(rotated).hasSize(1);
        assertThat(responses).allMatch(r -> r.statusCode() == 200 || r.statusCode() == 401);
        assertThat(responses.stream().filter(r -> r.statusCode() == 401))
                .allMatch(r -> r.jsonPath().getString("message").contains("already used"));
        given().auth().oauth2(rotated.get(0).jsonPath().getString("access_token"))
                .when().get("/api/v1/validate-token").then().statusCode(401);
        assertThat(endedEvents(claims(tokens.getString("access_token")).getString("sid"), "refresh_token_reuse"))
                .isEqualTo(1);
    }

    private long endedEvents(String sessionId, String reason) {
        return pool.preparedQuery("select count(*) from outbox_event where event_type = 'io.dmlp.auth.session.ended.v1'"
                        + " and message_key like $1 and payload like $2")
                .execute(Tuple.of("%/" + sessionId, "%\"reason\":\"" + reason + "\"%"))
                .await().indefinitely().iterator().next().getLong(0);
    }

    private void makePlatformAdmin(long userId) {
        pool.preparedQuery("update app_user set is_platform_admin = true where id = $1").execute(Tuple.of(userId))
                .await().indefinitely();
    }

    private static Response reset(String token, String username, String newPassword) {
        return given().auth().oauth2(token).contentType("application/json")
                .body(Map.of("user_name", username, "new_password", newPassword))
                .when().post("/api/v1/reset-password");
    }

    private static Response post(String token, String path, Object body) {
        var request = given().auth().oauth2(token);
        if (body != null) {
            request = request.contentType("application/json").body(body);
        }
        return request.when().post(path);
    }

    private static Response delete(String token, String path) {
        return given().auth().oauth2(token).when().delete(path);
    }

    private static Response grant(String token, long roleId, long permissionId) {
        return post(token, "/api/v1/rbac/roles/" + roleId + "/permissions", Map.of("permission_id", permissionId));
    }

    /** A new, empty role made by the caller itself. */
    private static long ownRole(String token) {
        return post(token, "/api/v1/rbac/roles", Map.of("name", unique("own"))).then().statusCode(201)
                .extract().jsonPath().getLong("id");
    }

    private static long permissionId(World w, String name) {
        return permissionId(w.admin(), w.tenant(), name);
    }

    private static long permissionId(String admin, String tenant, String name) {
        List<Map<String, Object>> all = given().auth().oauth2(admin).queryParam("tenant_id", tenant)
                .when().get("/api/v1/rbac/permissions/").then().statusCode(200).extract().jsonPath().getList("$");
        return all.stream().filter(p -> name.equals(p.get("name"))).map(p -> ((Number) p.get("id")).longValue())
                .findFirst().orElseThrow();
    }
}
