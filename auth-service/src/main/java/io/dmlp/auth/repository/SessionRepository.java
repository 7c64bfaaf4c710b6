package io.dmlp.auth.repository;

import io.dmlp.auth.domain.AuthSession;
import io.dmlp.auth.domain.RefreshToken;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** Sessions and their refresh tokens. */
@ApplicationScoped
@WithSession
public class SessionRepository implements PanacheRepositoryBase<AuthSession, UUID> {

    public Uni<RefreshToken> findRefreshToken(String tokenHash) {
        return Panache.getSession().chain(session -> session.find(RefreshToken.class, tokenHash));
    }

    public Uni<Void> persistRefreshToken(RefreshToken token) {
        return Panache.getSession().chain(session -> session.persist(token));
    }

    /** The user's sessions that have not been ended. */
    public Uni<List<AuthSession>> openSessionsOf(long userId) {
        return find("userId = ?1 and endedAt is null", userId).list();
    }

    /** The sessions, not yet ended, of every user holding the role. */
    public Uni<List<AuthSession>> openSessionsOfRoleHolders(long roleId) {
        return getSession().chain(session -> session.createNativeQuery("select s.* from auth_session s"
                + " join user_role ur on ur.user_id = s.user_id where ur.role_id = ?1 and s.ended_at is null",
                AuthSession.class).setParameter(1, roleId).getResultList());
    }

    /** Ends the session unless it has ended already: true for exactly one caller, however many end it at once. */
    public Uni<Boolean> endIfOpen(UUID sessionId, String reason, OffsetDateTime now) {
        return getSession().chain(session -> session.createNativeQuery(
                "update auth_session set ended_at = ?1, ended_reason = ?2 where id = ?3 and ended_at is null")
                .setParameter(1, now).setParameter(2, reason).setParameter(3, sessionId).executeUpdate())
                .map(n -> n == 1);
    }

    /**
     * Spends a refresh token: true for exactly one caller, however many present it at once (the row lock of
     * the conditional update makes the others wait and then find it spent).
     */
    public Uni<Boolean> rotate(String tokenHash, OffsetDateTime now) {
        return getSession().chain(session -> session.createNativeQuery(
                "update refresh_token set rotated_at = ?1 where token_hash = ?2 and rotated_at is null")
                .setParameter(1, now).setParameter(2, tokenHash).executeUpdate()).map(n -> n == 1);
    }
}
