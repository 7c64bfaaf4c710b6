package io.dmlp.auth.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Identity settings: tokens, passwords, lockout, signing keys and the bootstrap administrator. */
@ConfigMapping(prefix = "dmlp.auth")
public interface AuthConfig {

    /** The {@code iss} of every token; services verify it ({@code mp.jwt.verify.issuer}). */
    @WithDefault("dmlp-auth")
    String issuer();

    /** Lifetime of an access token. */
    @WithDefault("15m")
    Duration accessTokenTtl();

    /** Lifetime of a refresh token and of the session it belongs to. */
    @WithDefault("7d")
    Duration refreshTokenTtl();

    /**
     * bcrypt cost (log2 of the rounds). 10 costs about 60 ms of one core here: slow enough to make an offline
     * guess expensive, fast enough that login stays well under a second on a 2-core machine.
     */
    @WithDefault("10")
    int bcryptCost();

    /**
     * Failed log-ins of one username from one client address within {@link #lockoutWindow()} before that pair is
     * locked (429). Other clients are not affected: locking the account itself would let anyone keep its owner out.
     */
    @WithDefault("5")
    int lockoutThreshold();

    /** The window failed log-ins are counted in; a locked pair is free again when its oldest failure leaves it. */
    @WithDefault("15m")
    Duration lockoutWindow();

    /** The bounded pool that computes password hashes (bcrypt), so a flood of log-ins cannot take every core. */
    Hashing hashing();

    interface Hashing {

        /** Hashes computed at once (threads); each takes about 60 ms of one core at cost 10. */
        @WithDefault("2")
        int concurrency();

        /** Hashes that may wait for a thread; beyond that a request is refused at once (429, Retry-After: 1). */
        @WithDefault("32")
        int queue();

        /** Longest a hash waits for a thread; a request that waited longer is refused (429) without hashing. */
        @WithDefault("2s")
        Duration maxWait();
    }

    /**
     * Directory of the RSA signing keys ({@code <kid>.pem}, PKCS#8). The newest key signs; all are
     * published in the JWKS, which is how a rotation overlaps.
     */
    @WithDefault("target/auth-keys")
    String keysDir();

    /** Create a key pair when the directory has none. Off in production, where keys come from a Secret. */
    @WithDefault("true")
    boolean generateKeys();

    /** Tenant created at first start, holding the bootstrap administrator. */
    @WithDefault("default")
    String bootstrapTenant();

    /** Username of the bootstrap administrator, created with the bootstrap tenant. */
    @WithDefault("admin")
    String adminUsername();

    /** E-mail address of the bootstrap administrator. */
    @WithDefault("admin@dmlp.local")
    String adminEmail();

    /** Password of the bootstrap administrator; the local default is refused in production. */
    @WithDefault("admin123")
    String adminPassword();
}
