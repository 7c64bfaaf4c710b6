package io.dmlp.datalake.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;
import java.time.LocalDate;
import org.apache.parquet.io.api.Binary;
import org.junit.jupiter.api.Test;

class HyperLogLogTest {

    @Test
    void aStringAndItsUtf8BytesHashAlikeSoBothReadersCountTheSameValue() {
        assertThat(HyperLogLog.hash64(Binary.fromString("Zürich"))).isEqualTo(HyperLogLog.hash64("Zürich"));
        assertThat(HyperLogLog.hash64(0.0)).isEqualTo(HyperLogLog.hash64(-0.0));
        assertThat(HyperLogLog.hash64(7L)).isEqualTo(HyperLogLog.hash64(7));
        assertThat(HyperLogLog.hash64("a")).isNotEqualTo(HyperLogLog.hash64("b"));
        assertThat(HyperLogLog.hash64(ByteBuffer.wrap(new byte[] {1, 2})))
                .isNotEqualTo(HyperLogLog.hash64(ByteBuffer.wrap(new byte[] {1, 3})));
    }

    @Test
    void estimatesAreWithinTheSketchsErrorFromTensToMillions() {
        for (int n : new int[] {10, 1_000, 100_000, 2_000_000}) {
            HyperLogLog sketch = new HyperLogLog();
            for (int i = 0; i < n; i++) {
                sketch.add("value-" + i);
                sketch.add("value-" + i); // repeats do not count
            }
            assertThat((double) sketch.estimate()).as("n = %d", n).isCloseTo(n, within(Math.max(1, n * 0.03)));
        }
        HyperLogLog days = new HyperLogLog();
        for (int i = 0; i < 500; i++) {
            days.add(LocalDate.of(2024, 1, 1).plusDays(i % 90));
        }
        assertThat(days.estimate()).isEqualTo(90);
    }
}
