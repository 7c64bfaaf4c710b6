package io.dmlp.common.security.tokens;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Answers a bearer token verified before ({@link VerifiedTokens}) on the calling thread; any other token goes on to
 * smallrye-jwt's verifier (a null answer passes the request to the next provider).
 */
@ApplicationScoped
public class RememberedTokenProvider implements IdentityProvider<TokenAuthenticationRequest> {

    private final VerifiedTokens tokens;

    public RememberedTokenProvider(VerifiedTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request,
            AuthenticationRequestContext context) {
        SecurityIdentity remembered = tokens.identity(request.getToken().getToken());
        return Uni.createFrom().item(remembered == null ? null
                : VerifiedTokens.forRequest(remembered, HttpSecurityUtils.getRoutingContextAttribute(request)));
    }

    /** Before every provider Quarkus registers (the JWT verifier among them). */
    @Override
    public int priority() {
        return SYSTEM_FIRST + 1000;
    }
}
