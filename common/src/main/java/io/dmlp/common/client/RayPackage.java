package io.dmlp.common.client;

import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.annotations.RegisterResources;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The {@code dmlp_jobs} Python package (from {@code ray-jobs/}, bundled into this jar at build time) as the
 * zip Ray's {@code working_dir} expects. The zip is deterministic (sorted entries, fixed timestamps), so its
 * content hash, and thus its name on Ray, changes only when the code does. Every submit asks Ray whether it holds
 * the package and uploads it when not: a restarted Ray head has lost every package, so remembering an earlier
 * upload would fail every later job ("runtime_env setup failed").
 */
@ApplicationScoped
@Startup
@IfBuildProperty(name = "dmlp.ray.enabled", stringValue = "true")
@RegisterResources(globs = RayPackage.ROOT + "**") // a native image embeds only the resources it is told of
public class RayPackage {

    static final String ROOT = "dmlp-ray-jobs/";
    private static final long FIXED_TIME = 1_577_836_800_000L; // 2020-01-01, as zip entries need some time

    private final RayJobClient ray;
    private final byte[] zip;

    /** Zipped once, at start-up: a submission runs on an event loop, where reading the jar would block it. */
    public RayPackage(RayJobClient ray) {
        this.ray = ray;
        this.zip = zip();
    }

    /** The {@code runtime_env.working_dir} URI of the package, once Ray holds it (uploaded when it does not). */
    public Uni<String> workingDir() {
        return ray.uploadPackage(zip);
    }

    /** The package's files at the zip root ({@code dmlp_jobs/…}). */
    private static byte[] zip() {
        Map<String, byte[]> files = read();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (var file : files.entrySet()) {
                ZipEntry entry = new ZipEntry(file.getKey());
                entry.setTime(FIXED_TIME);
                out.putNextEntry(entry);
                out.write(file.getValue());
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static Map<String, byte[]> read() {
        URL marker = RayPackage.class.getClassLoader().getResource(ROOT + "dmlp_jobs/__init__.py");
        if (marker == null) {
            throw new IllegalStateException("The dmlp_jobs package is not on the classpath (" + ROOT + ")");
        }
        try {
            URI uri = marker.toURI();
            if ("file".equals(uri.getScheme())) {
                return readTree(Path.of(uri));
            }
            // In a jar ("jar:"), or in a native image ("resource:", GraalVM's file system of the embedded
            // resources), the package is walked through its URI's own file system: one way for both.
            try (FileSystem packaged = FileSystems.newFileSystem(uri, Map.of())) {
                return readTree(packaged.provider().getPath(uri));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every file of the package whose {@code dmlp_jobs/__init__.py} is {@code marker}, by its path in the zip. */
    private static Map<String, byte[]> readTree(Path marker) throws IOException {
        Path root = marker.getParent().getParent();
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(path).toString().replace('\\', '/'), Files.readAllBytes(path));
            }
        }
        return files;
    }
}
