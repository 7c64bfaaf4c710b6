package io.dmlp.common.security.revocation;

import io.dmlp.common.security.Caller;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Refuses a verified access token whose session ({@code sid}) has ended: the request fails authentication and
 * answers the same 401 as an expired or forged token. Runs for every request that authenticates.
 */
@ApplicationScoped
@IfBuildProperty(name = "dmlp.revocation.enabled", stringValue = "true")
public class EndedSessionCheck implements SecurityIdentityAugmentor {

    private final EndedSessions endedSessions;
    private final Counter refused;

    public EndedSessionCheck(EndedSessions endedSessions, MeterRegistry meters) {
        this.endedSessions = endedSessions;
        this.refused = Counter.builder("dmlp.revocation.refused")
                .description("Requests refused because their token's session has ended").register(meters);
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.getPrincipal() instanceof JsonWebToken token) {
            String sessionId = token.getClaim(Caller.SESSION_CLAIM);
            if (sessionId != null && endedSessions.isEnded(sessionId)) {
                refused.increment();
                return Uni.createFrom().failure(new AuthenticationFailedException("The session has ended."));
            }
        }
        return Uni.createFrom().item(identity);
    }

    /** Before augmentors that add to the identity: an ended session gets nothing. */
    @Override
    public int priority() {
        return 1000;
    }
}
