package io.dmlp.common.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.dmlp.common.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Platform administration is the token's own claim: it opens @RolesAllowed, and a group of that name opens nothing. */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class PlatformAdminTest {

    @ParameterizedTest(name = "{0}: train {1}, operate {2}")
    @CsvSource({
            "platform admin claim,           200, 200",
            "platform_admin as a group only, 403, 403",
            "can_train_models,               200, 403"})
    void onlyTheClaimMakesAPlatformAdmin(String caller, int train, int operate) {
        String tenant = UUID.randomUUID().toString();
        String token = switch (caller) {
            case "platform admin claim" -> TestTokens.token(1, "root", tenant, true);
            case "platform_admin as a group only" -> TestTokens.token(2, "mallory", tenant, "platform_admin");
            default -> TestTokens.token(3, "tina", tenant, "can_train_models");
        };

        given().auth().oauth2(token).when().get("/probe/roles/train").then().statusCode(train);
        given().auth().oauth2(token).when().get("/probe/roles/operate").then().statusCode(operate);
        if (operate == 200) {
            given().auth().oauth2(token).when().get("/probe/roles/operate").then()
                    .body("platform_admin", equalTo(true));
        }
    }
}
