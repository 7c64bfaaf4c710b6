package io.dmlp.auth.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dmlp.auth.config.AuthConfig;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key files, generation and the roll-over: the newest key signs, every key is published. */
class KeyManagerTest {

    @TempDir
    Path dir;

    @Test
    void generatesAKeyOnFirstStartAndReusesItAfterwards() throws Exception {
        KeyManager first = new KeyManager(config(dir, true));
        KeyManager second = new KeyManager(config(dir, true));

        assertThat(second.signingKey().kid()).isEqualTo(first.signingKey().kid());
        assertThat(Files.list(dir).map(p -> p.getFileName().toString())).contains(first.signingKey().kid() + ".pem",
                "jwks.json");
        assertThat(Files.getPosixFilePermissions(dir.resolve(first.signingKey().kid() + ".pem")))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void duringARollOverBothKeysArePublishedAndTheNewestSigns() throws Exception {
        String old = new KeyManager(config(dir, true)).signingKey().kid();
        Path other = Files.createTempDirectory("keys");
        String newer = new KeyManager(config(other, true)).signingKey().kid();
        Files.copy(other.resolve(newer + ".pem"), dir.resolve("29991231T235959Z.pem"));

        KeyManager rolled = new KeyManager(config(dir, true));

        assertThat(rolled.signingKey().kid()).isEqualTo("29991231T235959Z");
        List<Map<String, Object>> keys = (List<Map<String, Object>>) rolled.jwks().get("keys");
        assertThat(keys).extracting(k -> k.get("kid")).containsExactly(old, "29991231T235959Z");
        assertThat(keys).allSatisfy(k -> assertThat(k).containsEntry("alg", "RS256").containsKeys("n", "e"));
    }

    @Test
    void withoutKeysAndWithoutGenerationItRefusesToStart() {
        assertThatThrownBy(() -> new KeyManager(config(dir, false)))
                .hasMessageContaining("No signing key").hasMessageContaining("generate-keys");
    }

    @Test
    void aFileThatIsNotAKeyIsNamed() throws Exception {
        Files.writeString(dir.resolve("broken.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");

        assertThatThrownBy(() -> new KeyManager(config(dir, true))).hasMessageContaining("broken.pem");
    }

    /** The defaults of {@link AuthConfig}, with the key directory and generation switch of the test. */
    static AuthConfig config(Path keysDir, boolean generate) {
        return (AuthConfig) Proxy.newProxyInstance(AuthConfig.class.getClassLoader(), new Class<?>[] {AuthConfig.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "keysDir" -> keysDir.toString();
                    case "generateKeys" -> generate;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
