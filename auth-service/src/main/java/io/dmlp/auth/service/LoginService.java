package io.dmlp.auth.service;

import io.dmlp.auth.config.AuthConfig;
import io.dmlp.auth.domain.AuthSession;
import io.dmlp.auth.domain.RefreshToken;
import io.dmlp.auth.domain.User;
import io.dmlp.auth.event.AuthEvents;
import io.dmlp.auth.repository.SessionRepository;
import io.dmlp.auth.repository.UserRepository;
import io.dmlp.common.error.ApiException;
import io.dmlp.common.error.NotAuthenticatedException;
import io.dmlp.common.error.PermissionDeniedException;
import io.dmlp.common.error.TooManyRequestsException;
import io.dmlp.common.security.Caller;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Log-in, refresh, logout and session checks. Failures that must leave a trace (a failed log-in, a reused
 * refresh token) are returned as {@link Outcome#failure()} rather than thrown, so the transaction that
 * records them commits; the resource raises them afterwards.
 */
@ApplicationScoped
public class LoginService {

    /** Tokens to hand out, or the failure to answer with once the transaction has committed. */
    public record Outcome(Tokens tokens, ApiException failure) {

        static Outcome ok(Tokens tokens) {
            return new Outcome(tokens, null);
        }

        static Outcome failed(ApiException failure) {
            return new Outcome(null, failure);
        }

        /** The tokens, or the failure thrown. */
        public Tokens orThrow() {
            if (failure != null) {
                throw failure;
            }
            return tokens;
        }
    }

    public record Tokens(String accessToken, String refreshToken, long expiresInSeconds) {
    }

    static final String BAD_CREDENTIALS = "Incorrect username or password.";
    static final String BAD_REFRESH = "The refresh token is invalid, expired or already used.";
    static final String REUSED_REFRESH =
            "This refresh token was already used; the session has been ended. Log in again.";

    private final UserRepository users;
    private final SessionRepository sessions;
    private final SessionEnding sessionEnding;
    private final LoginThrottle throttle;
    private final PasswordHasher hasher;
    private final TokenIssuer issuer;
    private final AuthEvents events;
    private final AuthConfig config;

    public LoginService(UserRepository users, SessionRepository sessions, SessionEnding sessionEnding,
            LoginThrottle throttle, PasswordHasher hasher, TokenIssuer issuer, AuthEvents events, AuthConfig config) {
        this.users = users;
        this.sessions = sessions;
        this.sessionEnding = sessionEnding;
        this.throttle = throttle;
        this.hasher = hasher;
        this.issuer = issuer;
        this.events = events;
        this.config = config;
    }

    /**
     * Checks a password log-in from {@code client} (the caller's address). The attempt is counted before the
     * password is checked ({@link LoginThrottle}), and no transaction is open while bcrypt runs.
     */
    public Uni<Outcome> login(String username, String password, String client) {
        OffsetDateTime now = now();
        return throttle.begin(username, client, now).chain(attempt -> attempt.locked()
                ? Uni.createFrom().item(Outcome.failed(locked(attempt.retryAfterSeconds())))
                : users.findByUsername(username).chain(user -> check(attempt, username, password, user, now)));
    }

    /** A right password, or one never checked (hashing busy), does not count as a failure. */
    private Uni<Outcome> check(LoginThrottle.Attempt attempt, String username, String password, User user,
            OffsetDateTime now) {
        return hasher.matches(password, user == null ? null : user.passwordHash)
                .onFailure().call(() -> throttle.forget(attempt))
                .chain(matches -> {
                    if (matches) {
                        return throttle.forget(attempt).chain(() -> Panache.withTransaction(() -> loggedIn(user, now)));
                    }
                    String tenant = user == null ? null : user.tenantId.toString();
                    // As the throttle counts it: a name longer than any user's is audited under its first part.
                    String named = username.length() <= LoginThrottle.MAX_USERNAME_LENGTH ? username
                            : username.substring(0, LoginThrottle.MAX_USERNAME_LENGTH);
                    return Panache.withTransaction(() -> events.loginFailed(named, tenant,
                                    user == null ? "unknown_user" : "wrong_password"))
                            .replaceWith(Outcome.failed(new NotAuthenticatedException(BAD_CREDENTIALS)));
                });
    }

    private Uni<Outcome> loggedIn(User user, OffsetDateTime now) {
        if (!user.active) {
            return events.loginFailed(user.username, user.tenantId.toString(), "inactive_user")
                    .replaceWith(Outcome.failed(new PermissionDeniedException("This account is deactivated.")));
        }
        return openSession(user, now).map(Outcome::ok);
    }

    private static TooManyRequestsException locked(long retryAfterSeconds) {
        return new TooManyRequestsException("Too many failed log-ins for this username from your address; try again in "
                + retryAfterSeconds + " seconds.", retryAfterSeconds);
    }

    private Uni<Tokens> openSession(User user, OffsetDateTime now) {
        AuthSession session = new AuthSession();
        session.id = UUID.randomUUID();
        session.userId = user.id;
        session.tenantId = user.tenantId;
        session.createdAt = now;
        session.expiresAt = now.plus(config.refreshTokenTtl());
        return sessions.persist(session).chain(() -> issue(user, session, now));
    }

    /** A new access token and a new refresh token in {@code session}. */
    private Uni<Tokens> issue(User user, AuthSession session, OffsetDateTime now) {
        String refresh = issuer.newRefreshToken();
        RefreshToken stored = new RefreshToken();
        stored.tokenHash = TokenIssuer.hash(refresh);
        stored.sessionId = session.id;
        stored.createdAt = now;
        stored.expiresAt = session.expiresAt;
        return sessions.persistRefreshToken(stored)
                .chain(() -> users.permissionNames(user.id))
                .map(permissions -> new Tokens(issuer.accessToken(user, permissions, session.id, now.toInstant()),
                        refresh, config.accessTokenTtl().toSeconds()));
    }

    /**
     * Rotates a refresh token. The token is spent by a conditional update, so of parallel refreshes with one token
     * exactly one succeeds; any other presentation of a spent token is reuse (someone copied it) and ends the whole
     * session.
     */
    @WithTransaction
    public Uni<Outcome> refresh(String refreshToken) {
        OffsetDateTime now = now();
        String hash = TokenIssuer.hash(refreshToken);
        return sessions.findRefreshToken(hash).chain(token -> {
            if (token == null) {
                return Uni.createFrom().item(Outcome.failed(new NotAuthenticatedException(BAD_REFRESH)));
            }
            return sessions.findById(token.sessionId).chain(session -> {
                if (token.rotatedAt != null) {
                    return reused(session, now);
                }
                if (!session.isActive(now) || token.expiresAt.isBefore(now)) {
                    return Uni.createFrom().item(Outcome.failed(new NotAuthenticatedException(BAD_REFRESH)));
                }
                return sessions.rotate(hash, now).chain(spent -> spent ? rotated(session, now) : reused(session, now));
            });
        });
    }

    private Uni<Outcome> rotated(AuthSession session, OffsetDateTime now) {
        return users.findById(session.userId).chain(user -> user.active
                ? issue(user, session, now).map(Outcome::ok)
                : sessionEnding.end(session, SessionEnding.Reason.USER_DEACTIVATED, now)
                        .replaceWith(Outcome.failed(new PermissionDeniedException("This account is deactivated."))));
    }

    private Uni<Outcome> reused(AuthSession session, OffsetDateTime now) {
        Uni<Void> end = session.isActive(now)
                ? sessionEnding.end(session, SessionEnding.Reason.REFRESH_TOKEN_REUSE, now)
                : Uni.createFrom().voidItem();
        return end.replaceWith(Outcome.failed(new NotAuthenticatedException(REUSED_REFRESH)));
    }

    /** Ends the session of {@code refreshToken}; ending an already ended one is fine. */
    @WithTransaction
    public Uni<Void> logout(String refreshToken) {
        OffsetDateTime now = now();
        return sessions.findRefreshToken(TokenIssuer.hash(refreshToken)).chain(token -> {
            if (token == null) {
                return Uni.createFrom().failure(new NotAuthenticatedException(BAD_REFRESH));
            }
            return sessions.findById(token.sessionId).chain(session -> session.endedAt == null
                    ? sessionEnding.end(session, SessionEnding.Reason.LOGOUT, now)
                    : Uni.createFrom().voidItem());
        });
    }

    /** 401 unless the caller's session is still open and the user still active. */
    @WithTransaction
    public Uni<User> requireActiveSession(Caller caller) {
        OffsetDateTime now = now();
        return sessions.findById(UUID.fromString(caller.sessionId()))
                .chain(session -> session == null || !session.isActive(now)
                        ? Uni.createFrom().failure(new NotAuthenticatedException(
                                "This session has ended; log in again."))
                        : users.findById(caller.userId()))
                .invoke(user -> {
                    if (user == null || !user.active) {
                        throw new NotAuthenticatedException("This account is deactivated.");
                    }
                });
    }

    static OffsetDateTime now() {
        return OffsetDateTime.ofInstant(Instant.now(), ZoneOffset.UTC);
    }
}
