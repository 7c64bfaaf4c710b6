package io.dmlp.common.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/** The Ray job client against the real Ray head of the local stack (token auth on). */
@QuarkusTest
class RayJobClientTest {

    @Inject
    RayJobClient ray;

    @Test
    void shipsCodeRunsAJobAndReadsItsStatusAndLogs() throws Exception {
        String marker = "hello-from-dmlp-" + UUID.randomUUID();
        String uri = ray.uploadPackage(zip("hello_dmlp.py", "print('" + marker + "')\n")).await().indefinitely();
        assertThat(uri).startsWith("gcs://_ray_pkg_").endsWith(".zip");
        assertThat(ray.uploadPackage(zip("hello_dmlp.py", "print('" + marker + "')\n")).await().indefinitely())
                .isEqualTo(uri);

        String id = "dmlp-test-" + UUID.randomUUID();
        assertThat(ray.submit(id, "python hello_dmlp.py", Map.of("working_dir", uri), Map.of("purpose", "test"))
                .await().indefinitely()).isEqualTo(id);
        assertThat(ray.submit(id, "python hello_dmlp.py", Map.of("working_dir", uri), Map.of())
                .await().indefinitely()).as("a repeated submit is idempotent").isEqualTo(id);

        AtomicReference<RayJobClient.JobStatus> status = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            status.set(ray.status(id).await().indefinitely());
            return status.get().terminal();
        });
        assertThat(status.get().status()).isEqualTo("SUCCEEDED");
        assertThat(ray.logs(id).await().indefinitely()).contains(marker);
        assertThat(ray.stop(id).await().indefinitely()).as("an ended job is not stopped again").isFalse();
    }

    @Test
    void anUnknownJobIsRayRefusingTheRequest() {
        assertThatThrownBy(() -> ray.status("no-such-job-" + UUID.randomUUID()).await().indefinitely())
                .isInstanceOf(RayRequestException.class)
                .satisfies(e -> assertThat(((RayRequestException) e).status()).isEqualTo(404));
    }

    private static byte[] zip(String name, String content) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            ZipEntry entry = new ZipEntry(name);
            entry.setTime(0);
            zip.putNextEntry(entry);
            zip.write(content.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }
}
