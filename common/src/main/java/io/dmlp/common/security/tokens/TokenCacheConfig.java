package io.dmlp.common.security.tokens;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How many verified access tokens a service remembers ({@link VerifiedTokens}). */
@ConfigMapping(prefix = "dmlp.token-cache")
public interface TokenCacheConfig {

    /**
     * Most tokens remembered at once; the least recently used goes first. Each costs about a kilobyte. 0 verifies
     * every request's token afresh.
     */
    @WithDefault("10000")
    int maxSize();
}
