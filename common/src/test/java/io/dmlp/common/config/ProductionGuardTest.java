package io.dmlp.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProductionGuardTest {

    @Test
    void namesEverySecretStillAtItsDevelopmentDefault() {
        Map<String, String> config = Map.of(
                "quarkus.datasource.password", DevDefaults.DB_PASSWORD,
                "dmlp.s3.secret-key", "a-real-secret",
                "dmlp.auth.admin-password", DevDefaults.ADMIN_PASSWORD,
                "dmlp.internal.token", DevDefaults.INTERNAL_TOKEN);

        assertThat(ProductionGuard.weakSecrets(name -> Optional.ofNullable(config.get(name))))
                .containsExactly("quarkus.datasource.password", "dmlp.auth.admin-password", "dmlp.internal.token");
    }

    @Test
    void acceptsRealSecretsAndUnsetOnes() {
        assertThat(ProductionGuard.weakSecrets(name -> name.endsWith("secret-key")
                ? Optional.of("s3cr3t-from-vault") : Optional.empty())).isEmpty();
    }
}
