package io.dmlp.common.error;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The mapper as a client meets it: real HTTP, the framework's own failures included. */
@QuarkusTest
class ApiExceptionMapperTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "not-found, 404, Dataset 7 not found.",
        "conflict,  409, Template 'sales' already exists.",
        "invalid,   422, Invalid template.",
        "locked,    429, Too many failed logins.",
        "boom,      500, Internal server error. Quote the request id when reporting this."
    })
    void answersEveryFailureInTheOneBody(String kind, int status, String message) {
        given().header("X-Request-Id", "probe-" + kind)
                .when().get("/probe/errors/" + kind)
                .then().statusCode(status)
                .contentType("application/json")
                .body("status_code", equalTo(status))
                .body("message", equalTo(message))
                .body("request_id", equalTo("probe-" + kind))
                .body(not(containsString("hunter2")))
                .body(not(containsString("at io.dmlp")));
    }

    @Test
    void carriesDetailsAndRetryAfter() {
        given().when().get("/probe/errors/invalid")
                .then().body("details[0].column", equalTo("price"));
        given().when().get("/probe/errors/locked")
                .then().header("Retry-After", "900");
    }

    @Test
    void malformedJsonIsA400() {
        given().contentType("application/json").body("{\"name\": ")
                .when().post("/probe/errors/orders")
                .then().statusCode(400)
                .body("status_code", equalTo(400))
                .body("message", containsString("Malformed JSON body"));
    }

    @Test
    void wrongJsonTypeNamesTheField() {
        given().contentType("application/json").body("{\"name\": \"a\", \"quantity\": \"lots\"}")
                .when().post("/probe/errors/orders")
                .then().statusCode(400)
                .body("message", containsString("field 'quantity' has the wrong type"));
    }

    @Test
    void failedValidationIsA422NamingEachField() {
        given().contentType("application/json").body("{\"name\": \"\", \"quantity\": 0}")
                .when().post("/probe/errors/orders")
                .then().statusCode(422)
                .body("message", equalTo("Request validation failed."))
                .body("details.field", org.hamcrest.Matchers.contains("name", "quantity"));
    }

    @Test
    void frameworkFailuresUseTheSameBody() {
        given().when().delete("/probe/errors/conflict")
                .then().statusCode(405).body("status_code", equalTo(405)).body("message", equalTo("Method Not Allowed"));
        given().contentType("text/plain").body("x")
                .when().post("/probe/errors/orders")
                .then().statusCode(415).body("status_code", equalTo(415));
        given().when().get("/probe/errors/typed?n=abc")
                .then().statusCode(400).body("status_code", equalTo(400))
                .body("message", equalTo(ErrorMapping.WRONG_PARAMETER_TYPE));
    }

    @Test
    void anUnsupportedBodyIsA415AndAnUnsatisfiableAcceptA406InTheOneBody() {
        given().contentType("application/xml").body("<order/>")
                .when().post("/probe/errors/orders")
                .then().statusCode(415).contentType("application/json")
                .body("status_code", equalTo(415)).body("message", equalTo("Unsupported Media Type"));
        given().contentType("application/json").accept("application/xml").body("{\"name\": \"a\", \"quantity\": 1}")
                .when().post("/probe/errors/orders")
                .then().statusCode(406).contentType("application/json")
                .body("status_code", equalTo(406)).body("message", equalTo("Not Acceptable"));
    }
}
