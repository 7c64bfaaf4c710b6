package io.dmlp.auth;

import static io.dmlp.auth.AuthClient.adminToken;
import static io.dmlp.auth.AuthClient.assignRole;
import static io.dmlp.auth.AuthClient.newRole;
import static io.dmlp.auth.AuthClient.newTenant;
import static io.dmlp.auth.AuthClient.newUser;
import static io.dmlp.auth.AuthClient.roleId;
import static io.dmlp.auth.AuthClient.userId;
import static io.dmlp.auth.AuthClient.userWithRoles;
import static io.dmlp.auth.AuthClient.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** GET /users/{id}/roles: the roles a user holds, as assigned and removed, to the user and to role managers. */
@QuarkusTest
class UserRolesTest {

    private static RequestSpecification as(String token) {
        return given().auth().oauth2(token);
    }

    @Test
    void theRolesFollowAssignmentAndRemovalWithWhatEachGrants() {
        String admin = adminToken();
        String tenant = newTenant(admin);
        long userId = newUser(admin, tenant, unique("holder"), "holder-pass-1");
        long viewer = roleId(admin, tenant, "viewer");
        long scientist = roleId(admin, tenant, "data_scientist");

        as(admin).when().get("/api/v1/users/" + userId + "/roles")
                .then().statusCode(200).body("total", equalTo(0)).body("data", hasSize(0));

        assignRole(admin, userId, viewer);
        assignRole(admin, userId, scientist);
        // Oldest role first, as GET /rbac/roles lists them: the tenant seeded data_scientist before viewer.
        as(admin).when().get("/api/v1/users/" + userId + "/roles")
                .then().statusCode(200)
                .body("total", equalTo(2))
                .body("data.name", contains("data_scientist", "viewer"))
                .body("data.id", contains((int) scientist, (int) viewer))
                .body("data.tenant_id", contains(tenant, tenant))
                .body("data[1].permissions.name", contains("can_view", "can_view_datalake"))
                .body("data[0].permissions.name", hasItems("can_train_models", "can_run_inference"));

        as(admin).when().delete("/api/v1/users/" + userId + "/roles/" + viewer).then().statusCode(200);
        as(admin).when().get("/api/v1/users/" + userId + "/roles")
                .then().statusCode(200).body("total", equalTo(1)).body("data.name", contains("data_scientist"));
    }

    @Test
    void skipAndLimitPageTheRolesWhileTheTotalCountsThemAll() {
        String admin = adminToken();
        String tenant = newTenant(admin);
        long userId = newUser(admin, tenant, unique("paged"), "paged-pass-1");
        for (String role : new String[] {"admin", "data_scientist", "viewer"}) {
            assignRole(admin, userId, roleId(admin, tenant, role));
        }

        as(admin).queryParam("skip", 1).queryParam("limit", 1).when().get("/api/v1/users/" + userId + "/roles")
                .then().statusCode(200).body("total", equalTo(3)).body("data.name", contains("data_scientist"));
        as(admin).queryParam("skip", 3).when().get("/api/v1/users/" + userId + "/roles")
                .then().statusCode(200).body("total", equalTo(3)).body("data", hasSize(0));
    }

    @Test
    void aUserReadsTheirOwnRolesButNotAnotherUsersWithoutCanManageRoles() {
        String admin = adminToken();
        String tenant = newTenant(admin);
        String viewer = userWithRoles(admin, tenant, roleId(admin, tenant, "viewer"));
        long colleague = newUser(admin, tenant, unique("colleague"), "colleague-pass-1");

        as(viewer).when().get("/api/v1/users/" + userId(viewer) + "/roles")
                .then().statusCode(200).body("total", equalTo(1)).body("data.name", contains("viewer"));
        as(viewer).when().get("/api/v1/users/" + colleague + "/roles")
                .then().statusCode(403).body("message", containsString("can_manage_roles"));

        String roleManager = userWithRoles(admin, tenant, newRole(admin, tenant, "can_manage_roles"));
        as(roleManager).when().get("/api/v1/users/" + colleague + "/roles")
                .then().statusCode(200).body("total", equalTo(0));
    }

    @Test
    void anotherTenantsUserLooksLikeAnUnknownOne() {
        String admin = adminToken();
        String tenant = newTenant(admin);
        String boss = userWithRoles(admin, tenant, roleId(admin, tenant, "admin"));
        String other = newTenant(admin);
        long outsider = newUser(admin, other, unique("outsider"), "outsider-pass-1");
        assignRole(admin, outsider, roleId(admin, other, "viewer"));

        as(boss).when().get("/api/v1/users/" + outsider + "/roles")
                .then().statusCode(404).body("status_code", equalTo(404))
                .body("message", equalTo("User " + outsider + " not found."));
        as(boss).when().get("/api/v1/users/" + Long.MAX_VALUE + "/roles")
                .then().statusCode(404).body("message", equalTo("User " + Long.MAX_VALUE + " not found."));
        as(boss).when().get("/api/v1/users/not-a-number/roles")
                .then().statusCode(400).body("status_code", equalTo(400))
                .body("message", containsString("parameter has a value of the wrong type"));
        // The platform administrator sees every tenant.
        as(admin).when().get("/api/v1/users/" + outsider + "/roles")
                .then().statusCode(200).body("data.tenant_id", contains(other));
    }

    @ParameterizedTest
    @CsvSource({"skip, -1", "limit, 0", "limit, 1001"})
    void pagingOutOfRangeIsA422(String parameter, int value) {
        String admin = adminToken();
        long userId = newUser(admin, newTenant(admin), unique("badpage"), "badpage-pass-1");

        as(admin).queryParam(parameter, value).when().get("/api/v1/users/" + userId + "/roles")
                .then().statusCode(422).body("status_code", equalTo(422)).body("message", containsString("limit"));
    }

    @Test
    void anUnreadablePagingParameterIsRefusedInTheOneErrorBody() {
        String admin = adminToken();
        long userId = newUser(admin, newTenant(admin), unique("badpage"), "badpage-pass-1");

        // The framework refuses a query value it cannot convert before our code runs, as on every list.
        as(admin).queryParam("limit", "many").when().get("/api/v1/users/" + userId + "/roles")
                .then().statusCode(400).body("status_code", equalTo(400))
                .body("message", containsString("parameter has a value of the wrong type"));
    }
}
