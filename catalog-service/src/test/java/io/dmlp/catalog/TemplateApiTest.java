package io.dmlp.catalog;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import io.dmlp.common.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class TemplateApiTest {

    private final TestTokens.Tenant tenant = TestTokens.Tenant.random();
    private final String owner = tenant.token(7, "alice", "can_manage_templates", "can_view");

    static Map<String, Object> column(String name, String type, String defaultValue) {
        var column = new java.util.HashMap<String, Object>();
        column.put("column_name", name);
        column.put("data_type", type);
        column.put("default_value", defaultValue);
        return column;
    }

    /** The guide's sample body, with a name of its own. */
    static Map<String, Object> telecom(String name) {
        return Map.of("template_name", name, "template_schema", List.of(
                column("CustomerID", "String", "CUST-0000"), column("DataUsageGB", "Float", "0.0")));
    }

    long create(String token, Map<String, Object> body) {
        return given().auth().oauth2(token).contentType("application/json").body(body)
                .when().post("/api/v1/template/")
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    @Test
    void theGuidesLifecycleWorks() {
        String name = "Telecom Customer Usage " + UUID.randomUUID();
        long id = given().auth().oauth2(owner).contentType("application/json").body(telecom(name))
                .when().post("/api/v1/template/")
                .then().statusCode(201)
                .body("status", equalTo(201)).body("message", equalTo("Template created successfully."))
                .extract().jsonPath().getLong("id");

        given().auth().oauth2(owner).when().get("/api/v1/template/list")
                .then().statusCode(200)
                .body("total", equalTo(1))
                .body("data[0].template_name", equalTo(name))
                .body("data[0].no_of_columns", equalTo(2))
                .body("data[0].created_by", equalTo("alice"))
                .body("data[0].tenant_id", equalTo(tenant.id()))
                .body("data[0].created_at", notNullValue())
                .body("data[0].modified_by", equalTo("alice"));

        given().auth().oauth2(owner).when().get("/api/v1/template/" + id)
                .then().statusCode(200)
                .body("template_schema.column_name", contains("CustomerID", "DataUsageGB"))
                .body("template_schema[1].data_type", equalTo("Float"))
                .body("template_schema[0].default_value", equalTo("CUST-0000"))
                .body("version", equalTo(1));

        String editor = tenant.token(8, "bob", "can_manage_templates", "can_view");
        given().auth().oauth2(editor).contentType("application/json")
                .body(Map.of("template_name", name + " V2", "template_schema", List.of(
                        column("CustomerID", "string", null), column("DataUsageGB", "FLOAT", null),
                        column("PlanType", "String", null))))
                .when().put("/api/v1/template/update/" + id)
                .then().statusCode(200)
                .body("template_name", equalTo(name + " V2"))
                .body("template_schema.data_type", contains("String", "Float", "String"))
                .body("template_schema[0].default_value", equalTo(null))
                .body("version", equalTo(2));

        given().auth().oauth2(owner).when().get("/api/v1/template/" + id)
                .then().body("id", equalTo((int) id)).body("modified_by", equalTo("bob")).body("no_of_columns", equalTo(3));
        given().auth().oauth2(owner).queryParam("version", 1).when().get("/api/v1/template/" + id)
                .then().statusCode(200).body("template_name", equalTo(name)).body("template_schema", hasSize(2));

        given().auth().oauth2(owner).when().delete("/api/v1/template/" + id)
                .then().statusCode(200)
                .body("status_code", equalTo(200)).body("message", equalTo("Template deleted successfully."));
        given().auth().oauth2(owner).when().get("/api/v1/template/" + id).then().statusCode(404);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown type        | Price    | Money   | 1     | data_type must be one of",
        "bad float default   | Price    | Float   | cheap | not a valid Float",
        "bad date default    | Day      | date    | 18/09 | not a valid Date",
        "empty column name   | ' '      | String  |       | column_name must not be empty"
    })
    void anInvalidColumnIsA422NamingIt(String label, String name, String type, String defaultValue, String reason) {
        given().auth().oauth2(owner).contentType("application/json")
                .body(Map.of("template_name", "bad " + UUID.randomUUID(),
                        "template_schema", List.of(column("Ok", "Integer", "1"), column(name, type, defaultValue))))
                .when().post("/api/v1/template/")
                .then().statusCode(422)
                .body("status_code", equalTo(422))
                .body("details.reason", hasItem(containsString(reason)))
                .body("details.column", not(hasItem("Ok")));
    }

    @Test
    void repeatedColumnNamesAndEmptySchemasAreRefused() {
        given().auth().oauth2(owner).contentType("application/json")
                .body(Map.of("template_name", "dup " + UUID.randomUUID(),
                        "template_schema", List.of(column("Amount", "Float", null), column("amount", "Integer", null))))
                .when().post("/api/v1/template/")
                .then().statusCode(422).body("details[0].column", equalTo("amount"));
        given().auth().oauth2(owner).contentType("application/json")
                .body(Map.of("template_name", "empty " + UUID.randomUUID(), "template_schema", List.of()))
                .when().post("/api/v1/template/").then().statusCode(422);
        given().auth().oauth2(owner).contentType("application/json").body("{\"template_name\": ")
                .when().post("/api/v1/template/").then().statusCode(400);
    }

    @Test
    void namesAreUniquePerTenantOnly() {
        String name = "Shared name " + UUID.randomUUID();
        create(owner, telecom(name));

        given().auth().oauth2(owner).contentType("application/json").body(telecom(name.toUpperCase()))
                .when().post("/api/v1/template/").then().statusCode(409);
        String other = TestTokens.Tenant.random().token(9, "carol", "can_manage_templates", "can_view");
        create(other, telecom(name));
    }

    @Test
    void anotherTenantsTemplateIsA404AndListsAreSeparate() {
        long id = create(owner, telecom("Private " + UUID.randomUUID()));
        String stranger = TestTokens.Tenant.random().token(10, "mallory", "can_manage_templates", "can_view");

        given().auth().oauth2(stranger).when().get("/api/v1/template/" + id).then().statusCode(404);
        given().auth().oauth2(stranger).when().delete("/api/v1/template/" + id).then().statusCode(404);
        given().auth().oauth2(stranger).contentType("application/json").body(telecom("x " + UUID.randomUUID()))
                .when().put("/api/v1/template/update/" + id).then().statusCode(404);
        given().auth().oauth2(stranger).when().get("/api/v1/template/list")
                .then().statusCode(200).body("total", equalTo(0));
    }

    @Test
    void permissionsAndTokensAreEnforced() {
        String viewer = tenant.token(11, "vera", "can_view");
        long id = create(owner, telecom("Guarded " + UUID.randomUUID()));

        given().auth().oauth2(viewer).when().get("/api/v1/template/" + id).then().statusCode(200);
        given().auth().oauth2(viewer).contentType("application/json").body(telecom("v " + UUID.randomUUID()))
                .when().post("/api/v1/template/").then().statusCode(403)
                .body("message", containsString("can_manage_templates"));
        given().auth().oauth2(viewer).when().delete("/api/v1/template/" + id).then().statusCode(403);
        given().when().get("/api/v1/template/list").then().statusCode(401).body("status_code", equalTo(401));
        given().auth().oauth2("forged.token.here").when().get("/api/v1/template/list").then().statusCode(401);
    }

    @Test
    void listsPaginate() {
        TestTokens.Tenant own = TestTokens.Tenant.random();
        String token = own.token(12, "pat", "can_manage_templates", "can_view");
        for (int i = 0; i < 3; i++) {
            create(token, telecom("Page " + i + " " + UUID.randomUUID()));
        }

        given().auth().oauth2(token).queryParam("skip", 1).queryParam("limit", 1)
                .when().get("/api/v1/template/list")
                .then().statusCode(200).body("total", equalTo(3)).body("data", hasSize(1));
        given().auth().oauth2(token).queryParam("limit", 5000)
                .when().get("/api/v1/template/list").then().statusCode(422);
    }
}
