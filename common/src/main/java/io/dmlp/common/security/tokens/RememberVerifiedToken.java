package io.dmlp.common.security.tokens;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Remembers each freshly verified token ({@link VerifiedTokens}); first of the augmentors, so they all see its claims. */
@ApplicationScoped
public class RememberVerifiedToken implements SecurityIdentityAugmentor {

    private final VerifiedTokens tokens;

    public RememberVerifiedToken(VerifiedTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        return Uni.createFrom().item(identity.isAnonymous() ? identity : tokens.remember(identity));
    }

    /** Before the ended-session check (1000), which then runs on every request, remembered token or not. */
    @Override
    public int priority() {
        return 2000;
    }
}
