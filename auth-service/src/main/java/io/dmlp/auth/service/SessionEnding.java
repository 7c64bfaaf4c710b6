package io.dmlp.auth.service;

import io.dmlp.auth.domain.AuthSession;
import io.dmlp.auth.event.AuthEvents;
import io.dmlp.auth.repository.SessionRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * The one way a session ends: marked ended in the caller's transaction, with a {@code session.ended} event that
 * makes every service refuse its access tokens within seconds. A session ends once: of concurrent endings (two
 * reuses of one refresh token, a logout during a deactivation) only the first is announced.
 */
@ApplicationScoped
public class SessionEnding {

    /** Why a session ended, as the {@code reason} of {@code session.ended}. */
    public enum Reason {
        LOGOUT, REFRESH_TOKEN_REUSE, USER_DEACTIVATED, PASSWORD_RESET, ROLE_CHANGED;

        String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final SessionRepository sessions;
    private final AuthEvents events;

    public SessionEnding(SessionRepository sessions, AuthEvents events) {
        this.sessions = sessions;
        this.events = events;
    }

    public Uni<Void> end(AuthSession session, Reason reason, OffsetDateTime now) {
        return sessions.endIfOpen(session.id, reason.code(), now).chain(ended -> ended
                ? events.sessionEnded(session, reason.code())
                : Uni.createFrom().voidItem());
    }

    /** Ends every open session of the user but {@code keep} (the caller's own, or null). */
    public Uni<Void> endSessionsOf(long userId, UUID keep, Reason reason, OffsetDateTime now) {
        return sessions.openSessionsOf(userId).chain(open -> endAll(open, keep, reason, now));
    }

    /** Ends every open session of every holder of the role but {@code keep}. */
    public Uni<Void> endSessionsOfRoleHolders(long roleId, UUID keep, Reason reason, OffsetDateTime now) {
        return sessions.openSessionsOfRoleHolders(roleId).chain(open -> endAll(open, keep, reason, now));
    }

    /** In sequence: a reactive session runs one query at a time. */
    private Uni<Void> endAll(List<AuthSession> open, UUID keep, Reason reason, OffsetDateTime now) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (AuthSession session : open) {
            if (!session.id.equals(keep)) {
                chain = chain.chain(() -> end(session, reason, now));
            }
        }
        return chain;
    }
}
