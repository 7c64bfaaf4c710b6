package io.dmlp.auth.service;

import io.dmlp.auth.config.AuthConfig;
import io.dmlp.common.error.UnprocessableEntityException;
import io.dmlp.common.error.TooManyRequestsException;
import io.quarkus.elytron.security.common.BcryptUtil;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.WorkerExecutor;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * bcrypt hashing and the password policy. Hashing is CPU work: it runs on a bounded pool of its own
 * ({@link AuthConfig.Hashing}), never the event loop. At most {@code concurrency} hashes run and {@code queue} wait;
 * a request beyond that, or one that waited longer than {@code max-wait}, is refused with 429 and
 * {@code Retry-After: 1} instead of piling up.
 */
@ApplicationScoped
public class PasswordHasher {

    static final int MIN_LENGTH = 8;
    /** bcrypt reads at most 72 bytes; longer passwords would be silently truncated. */
    static final int MAX_BYTES = 72;

    static final String BUSY = "Too many passwords are being checked right now; try again in a second.";

    private final WorkerExecutor workers;
    /** Hashes running or waiting. */
    private final Semaphore admitted;
    private final Duration maxWait;
    private final int cost;
    /** Compared against when the username is unknown, so timing does not tell which usernames exist. */
    private final String decoy;

    public PasswordHasher(Vertx vertx, AuthConfig config) {
        AuthConfig.Hashing hashing = config.hashing();
        this.workers = vertx.createSharedWorkerExecutor("dmlp-password-hashing", hashing.concurrency());
        this.admitted = new Semaphore(hashing.concurrency() + hashing.queue());
        this.maxWait = hashing.maxWait();
        this.cost = config.bcryptCost();
        this.decoy = BcryptUtil.bcryptHash("decoy-password-for-unknown-users", cost);
    }

    public Uni<String> hash(String password) {
        return bounded(() -> BcryptUtil.bcryptHash(password, cost));
    }

    /** Whether {@code password} matches {@code hash}; a null hash (unknown user) never matches but costs the same. */
    public Uni<Boolean> matches(String password, String hash) {
        return bounded(() -> BcryptUtil.matches(password, hash == null ? decoy : hash) && hash != null);
    }

    private <T> Uni<T> bounded(Supplier<T> work) {
        return Uni.createFrom().deferred(() -> {
            if (!admitted.tryAcquire()) {
                return Uni.createFrom().failure(busy());
            }
            long admittedAt = System.nanoTime();
            return workers.executeBlocking(Uni.createFrom().item(() -> {
                if (System.nanoTime() - admittedAt > maxWait.toNanos()) {
                    throw busy();
                }
                return work.get();
            }), false).eventually(() -> admitted.release());
        });
    }

    private static TooManyRequestsException busy() {
        return new TooManyRequestsException(BUSY, 1);
    }

    @PreDestroy
    void close() {
        workers.closeAndForget();
    }

    /** 422 naming the rule a new password breaks. */
    public static void checkPolicy(String username, String password) {
        if (password == null || password.length() < MIN_LENGTH) {
            throw new UnprocessableEntityException("The password must have at least " + MIN_LENGTH + " characters.");
        }
        if (password.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new UnprocessableEntityException("The password must not exceed " + MAX_BYTES + " bytes.");
        }
        if (username != null && password.toLowerCase(Locale.ROOT).equals(username.toLowerCase(Locale.ROOT))) {
            throw new UnprocessableEntityException("The password must not be the username.");
        }
    }
}
