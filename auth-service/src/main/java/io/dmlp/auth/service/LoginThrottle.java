package io.dmlp.auth.service;

import io.dmlp.auth.config.AuthConfig;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Locale;

/**
 * Brute-force lockout per username <em>and client address</em>: {@link AuthConfig#lockoutThreshold()} failed
 * log-ins of one username from one client within {@link AuthConfig#lockoutWindow()} lock that pair (429), not the
 * account, so an anonymous caller can never keep the owner (the platform admin included) out from elsewhere.
 * <p>
 * Each attempt is counted <em>before</em> its password is checked, under a per-pair advisory lock: parallel guesses
 * queue for the count, and at most the threshold of them are ever checked. An attempt that turns out right (or is
 * not checked at all) is forgotten again; the rest are the failures, deleted once they leave the window.
 */
@ApplicationScoped
public class LoginThrottle {

    /** A counted attempt ({@code id}), or a locked pair and the seconds until it unlocks. */
    public record Attempt(Long id, long retryAfterSeconds) {
        public boolean locked() {
            return id == null;
        }
    }

    /** The longest client key stored: an IPv6 address with zone fits. */
    static final int MAX_CLIENT_LENGTH = 64;
    /** Usernames are at most 150 characters; a longer attempt is counted under its first 150. */
    static final int MAX_USERNAME_LENGTH = 150;

    private final Pool pool;
    private final AuthConfig config;

    public LoginThrottle(Pool pool, AuthConfig config) {
        this.pool = pool;
        this.config = config;
    }

    /** Counts an attempt of {@code username} from {@code client}, unless the pair is locked. */
    public Uni<Attempt> begin(String username, String client, OffsetDateTime now) {
        String user = key(username, MAX_USERNAME_LENGTH);
        String from = key(client, MAX_CLIENT_LENGTH);
        OffsetDateTime windowStart = now.minus(config.lockoutWindow());
        return pool.withTransaction(connection -> connection
                .preparedQuery("select 1 from pg_advisory_xact_lock(hashtextextended($1, 0))")
                .execute(Tuple.of(user + '\n' + from))
                .chain(() -> connection.preparedQuery("select count(*), min(failed_at) from login_failure"
                        + " where username_key = $1 and client = $2 and failed_at > $3")
                        .execute(Tuple.of(user, from, windowStart)))
                .map(rows -> rows.iterator().next())
                .chain(counted -> counted.getLong(0) >= config.lockoutThreshold()
                        ? Uni.createFrom().item(new Attempt(null, retryAfter(counted, now)))
                        : connection.preparedQuery("insert into login_failure (username_key, client, failed_at)"
                                + " values ($1, $2, $3) returning id")
                                .execute(Tuple.of(user, from, now))
                                .map(rows -> new Attempt(rows.iterator().next().getLong(0), 0))));
    }

    /** The attempt was no wrong guess (the password was right, or never checked): it does not count. */
    public Uni<Void> forget(Attempt attempt) {
        return pool.preparedQuery("delete from login_failure where id = $1").execute(Tuple.of(attempt.id()))
                .replaceWithVoid();
    }

    /** Failures that left the window count for nothing: the table holds at most one window of them. */
    @Scheduled(every = "1m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> deleteExpired() {
        return pool.preparedQuery("delete from login_failure where failed_at < $1")
                .execute(Tuple.of(LoginService.now().minus(config.lockoutWindow()))).replaceWithVoid();
    }

    private long retryAfter(Row counted, OffsetDateTime now) {
        OffsetDateTime oldest = counted.getOffsetDateTime(1);
        return Math.max(1, Duration.between(now, oldest.plus(config.lockoutWindow())).toSeconds());
    }

    private static String key(String value, int maxLength) {
        String key = value.toLowerCase(Locale.ROOT);
        return key.length() <= maxLength ? key : key.substring(0, maxLength);
    }
}
