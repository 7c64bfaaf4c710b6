package io.dmlp.auth.repository;

import io.dmlp.auth.domain.AuthSession;
import io.dmlp.auth.domain.LoginFailure;
import io.dmlp.auth.domain.RefreshToken;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** Sessions, their refresh tokens and the failed log-ins that can lock a username. */
@ApplicationScoped
@WithSession
public class SessionRepository implements PanacheRepositoryBase<AuthSession, UUID> {

    public Uni<RefreshToken> findRefreshToken(String tokenHash) {
        return Panache.getSession().chain(session -> session.find(RefreshToken.class, tokenHash));
    }

    public Uni<Void> persistRefreshToken(RefreshToken token) {
        return Panache.getSession().chain(session -> session.persist(token));
    }

    /** Ends the user's active sessions (all, or all but {@code keep}); returns the ended ones. */
    public Uni<List<AuthSession>> endActiveSessions(long userId, UUID keep, String reason, OffsetDateTime now) {
        return find("userId = ?1 and endedAt is null", userId).list().map(sessions -> {
            List<AuthSession> ended = sessions.stream().filter(s -> !s.id.equals(keep)).toList();
            ended.forEach(s -> {
                s.endedAt = now;
                s.endedReason = reason;
            });
            return ended;
        });
    }

    public Uni<Long> countFailures(String usernameKey, OffsetDateTime since) {
        return Panache.getSession().chain(session -> session.createSelectionQuery(
                "select count(*) from LoginFailure where usernameKey = ?1 and failedAt > ?2", Long.class)
                .setParameter(1, usernameKey).setParameter(2, since).getSingleResult());
    }

    public Uni<OffsetDateTime> oldestFailure(String usernameKey, OffsetDateTime since) {
        return Panache.getSession().chain(session -> session.createSelectionQuery(
                "select min(failedAt) from LoginFailure where usernameKey = ?1 and failedAt > ?2", OffsetDateTime.class)
                .setParameter(1, usernameKey).setParameter(2, since).getSingleResult());
    }

    public Uni<Void> recordFailure(String usernameKey, OffsetDateTime at) {
        LoginFailure failure = new LoginFailure();
        failure.usernameKey = usernameKey;
        failure.failedAt = at;
        return Panache.getSession().chain(session -> session.persist(failure));
    }
}
