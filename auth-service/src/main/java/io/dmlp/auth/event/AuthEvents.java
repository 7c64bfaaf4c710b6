package io.dmlp.auth.event;

import io.dmlp.auth.domain.AuthSession;
import io.dmlp.auth.domain.User;
import io.dmlp.common.outbox.Outbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/** The events of identity, on {@value #TOPIC}, written through the outbox in the caller's transaction. */
@ApplicationScoped
public class AuthEvents {

    public static final String TOPIC = "dmlp.auth.events";
    private static final String DOMAIN = "auth";

    private final Outbox outbox;

    public AuthEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    public Uni<Void> userCreated(User user) {
        return append("user.created", user.id.toString(), user.tenantId.toString(), Map.of(
                "user_id", user.id, "username", user.username, "tenant_id", user.tenantId.toString()));
    }

    public Uni<Void> roleAssigned(User user, long roleId, String roleName) {
        return append("role.assigned", user.id.toString(), user.tenantId.toString(), Map.of(
                "user_id", user.id, "role_id", roleId, "role_name", roleName));
    }

    public Uni<Void> sessionEnded(AuthSession session, String reason) {
        return append("session.ended", session.id.toString(), session.tenantId.toString(), Map.of(
                "session_id", session.id.toString(), "user_id", session.userId, "reason", reason));
    }

    /** No password, ever: only who and why. */
    public Uni<Void> loginFailed(String username, String tenantId, String reason) {
        return append("login.failed", username, tenantId, Map.of("username", username, "reason", reason));
    }

    private Uni<Void> append(String name, String subject, String tenantId, Map<String, Object> data) {
        return outbox.append(TOPIC, DOMAIN, name, subject, tenantId, data).replaceWithVoid();
    }
}
