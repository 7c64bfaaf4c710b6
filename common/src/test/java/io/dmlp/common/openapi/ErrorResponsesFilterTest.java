package io.dmlp.common.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.junit.jupiter.api.Test;

/** What the filter adds to a service's document: the security each operation needs, and its error answers. */
class ErrorResponsesFilterTest {

    private static OpenAPI document(Operation... operations) {
        OpenAPI openApi = OASFactory.createOpenAPI()
                .components(OASFactory.createComponents().addSecurityScheme("SecurityScheme",
                        OASFactory.createSecurityScheme().type(
                                org.eclipse.microprofile.openapi.models.security.SecurityScheme.Type.HTTP)
                                .scheme("bearer")))
                .paths(OASFactory.createPaths());
        for (int i = 0; i < operations.length; i++) {
            openApi.getPaths().addPathItem("/op" + i, OASFactory.createPathItem().GET(operations[i]));
        }
        return openApi;
    }

    @Test
    void anOperationThatSaysNothingNeedsTheBearerTokenAndCanBeRefusedIt() {
        Operation secured = OASFactory.createOperation();
        new ErrorResponsesFilter().filterOpenAPI(document(secured));

        assertThat(secured.getSecurity()).hasSize(1);
        assertThat(secured.getSecurity().get(0).getSchemes()).containsOnlyKeys("SecurityScheme");
        assertThat(secured.getResponses().getAPIResponses()).containsKeys("401", "403", "404", "422", "503");
    }

    @Test
    void aPublicOperationStaysPublicAndKeepsOnlyTheRefusalsItDeclares() {
        Operation open = OASFactory.createOperation().security(List.of());
        Operation login = OASFactory.createOperation().security(List.of()).responses(OASFactory.createAPIResponses()
                .addAPIResponse("401", OASFactory.createAPIResponse().ref(ErrorResponsesFilter.UNAUTHORIZED)));
        new ErrorResponsesFilter().filterOpenAPI(document(open, login));

        assertThat(open.getSecurity()).isEmpty();
        assertThat(open.getResponses().getAPIResponses()).doesNotContainKeys("401", "403").containsKey("422");
        assertThat(login.getSecurity()).isEmpty();
        assertThat(login.getResponses().getAPIResponses()).containsKey("401").doesNotContainKey("403");
    }
}
