package io.dmlp.common.security.tokens;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.dmlp.common.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Through the HTTP layer: a remembered token keeps its caller, and no other string rides on it. */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class RememberedTokenTest {

    @Test
    void aTokenUsedAgainIsTheSameCallerAndATamperedCopyIsRefused() {
        String token = TestTokens.token(9, "grace", UUID.randomUUID().toString(), "can_view");
        for (int call = 0; call < 3; call++) {
            given().auth().oauth2(token).when().get("/probe/caller").then().statusCode(200)
                    .body("username", equalTo("grace"));
        }

        // Inside the signature: its last character also carries padding bits, so changing it may not change the bytes.
        int at = token.length() - 10;
        String tampered = token.substring(0, at) + (token.charAt(at) == 'A' ? 'B' : 'A') + token.substring(at + 1);
        given().auth().oauth2(tampered).when().get("/probe/caller").then().statusCode(401);
        String otherPayload = token.replaceFirst("\\.[^.]+\\.", "." + token.split("\\.")[1] + "e30.");
        given().auth().oauth2(otherPayload).when().get("/probe/caller").then().statusCode(401);
        given().auth().oauth2(token).when().get("/probe/caller").then().statusCode(200);
    }
}
