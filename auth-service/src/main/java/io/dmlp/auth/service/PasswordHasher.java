package io.dmlp.auth.service;

import io.dmlp.auth.config.AuthConfig;
import io.dmlp.common.error.UnprocessableEntityException;
import io.quarkus.elytron.security.common.BcryptUtil;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;

/** bcrypt hashing and the password policy. Hashing is CPU work: it runs on a worker, never the event loop. */
@ApplicationScoped
public class PasswordHasher {

    static final int MIN_LENGTH = 8;
    /** bcrypt reads at most 72 bytes; longer passwords would be silently truncated. */
    static final int MAX_BYTES = 72;

    private final Vertx vertx;
    private final int cost;
    /** Compared against when the username is unknown, so timing does not tell which usernames exist. */
    private final String decoy;

    public PasswordHasher(Vertx vertx, AuthConfig config) {
        this.vertx = vertx;
        this.cost = config.bcryptCost();
        this.decoy = BcryptUtil.bcryptHash("decoy-password-for-unknown-users", cost);
    }

    public Uni<String> hash(String password) {
        return vertx.executeBlocking(Uni.createFrom().item(() -> BcryptUtil.bcryptHash(password, cost)), false);
    }

    /** Whether {@code password} matches {@code hash}; a null hash (unknown user) never matches but costs the same. */
    public Uni<Boolean> matches(String password, String hash) {
        return vertx.executeBlocking(Uni.createFrom().item(
                () -> BcryptUtil.matches(password, hash == null ? decoy : hash) && hash != null), false);
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
