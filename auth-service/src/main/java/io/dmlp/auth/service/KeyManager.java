package io.dmlp.auth.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmlp.auth.config.AuthConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The RSA keys that sign access tokens. Keys are PKCS#8 PEM files named {@code <kid>.pem} in
 * {@code dmlp.auth.keys-dir}; key ids sort by creation time, the newest signs, and every key is published in
 * the JWKS so tokens signed by the previous key stay valid during a roll-over (docs/operations.md).
 */
@Startup
@ApplicationScoped
public class KeyManager {

    private static final Logger LOG = Logger.getLogger(KeyManager.class);
    private static final DateTimeFormatter KID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    /** A signing key and its id. */
    public record SigningKey(String kid, PrivateKey key) {
    }

    private final TreeMap<String, RSAPrivateCrtKey> keys;
    private final Map<String, Object> jwks;

    public KeyManager(AuthConfig config) {
        Path dir = Path.of(config.keysDir());
        this.keys = load(dir);
        if (keys.isEmpty()) {
            if (!config.generateKeys()) {
                throw new IllegalStateException("No signing key in " + dir.toAbsolutePath()
                        + " and dmlp.auth.generate-keys is off: mount the key Secret there (docs/operations.md).");
            }
            generate(dir);
            keys.putAll(load(dir));
        }
        this.jwks = Map.of("keys", keys.entrySet().stream().map(e -> jwk(e.getKey(), e.getValue())).toList());
        writeJwksFile(dir);
        LOG.infof("Signing tokens with key %s; publishing %d key(s)", keys.lastKey(), keys.size());
    }

    public SigningKey signingKey() {
        return new SigningKey(keys.lastKey(), keys.lastEntry().getValue());
    }

    /** The JSON Web Key Set of every public key. */
    public Map<String, Object> jwks() {
        return jwks;
    }

    private static TreeMap<String, RSAPrivateCrtKey> load(Path dir) {
        TreeMap<String, RSAPrivateCrtKey> found = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return found;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".pem")).toList()) {
                String name = file.getFileName().toString();
                found.put(name.substring(0, name.length() - 4), parse(Files.readString(file), file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read signing keys from " + dir, e);
        }
        return found;
    }

    private static RSAPrivateCrtKey parse(String pem, Path file) {
        String base64 = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        try {
            return (RSAPrivateCrtKey) KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            throw new IllegalStateException("Not an RSA PKCS#8 private key: " + file, e);
        }
    }

    private static void generate(Path dir) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            byte[] encoded = generator.generateKeyPair().getPrivate().getEncoded();
            String pem = "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(encoded)
                    + "\n-----END PRIVATE KEY-----\n";
            Files.createDirectories(dir);
            Path file = dir.resolve(KID.format(ZonedDateTime.now(ZoneOffset.UTC)) + ".pem");
            Files.writeString(file, pem);
            restrict(file);
            LOG.infof("Generated a new signing key %s", file);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot generate an RSA key", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the signing key to " + dir, e);
        }
    }

    private static void restrict(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            LOG.debugf("Cannot restrict permissions of %s on this file system", file);
        }
    }

    /** Written beside the keys so auth-service verifies its own tokens without calling itself. */
    private void writeJwksFile(Path dir) {
        try {
            Files.write(dir.resolve("jwks.json"), new ObjectMapper().writeValueAsBytes(jwks));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + dir.resolve("jwks.json"), e);
        }
    }

    static Map<String, Object> jwk(String kid, RSAPrivateCrtKey key) {
        Map<String, Object> jwk = new LinkedHashMap<>();
        jwk.put("kty", "RSA");
        jwk.put("use", "sig");
        jwk.put("alg", "RS256");
        jwk.put("kid", kid);
        jwk.put("n", base64Url(key.getModulus()));
        jwk.put("e", base64Url(key.getPublicExponent()));
        return jwk;
    }

    private static String base64Url(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
