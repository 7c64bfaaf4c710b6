package io.dmlp.datalake.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LongHashSetTest {

    @Test
    void countsEachHashOnceThroughManyGrowthsAndKeepsEveryOne() {
        LongHashSet set = new LongHashSet();
        Set<Long> expected = new HashSet<>();
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 300_000; i++) {
            long hash = i % 3 == 0 ? random.nextLong(1_000) : random.nextLong(); // many repeats, some zero
            assertThat(set.add(hash)).isEqualTo(expected.add(hash));
        }
        assertThat(set.add(0)).isEqualTo(expected.add(0L));
        assertThat(set.add(0)).isFalse();

        assertThat(set.size()).isEqualTo(expected.size());
        Set<Long> kept = new HashSet<>();
        set.forEach(kept::add);
        assertThat(kept).isEqualTo(expected);
    }

    @Test
    void hashesOfDistinctValuesAreDistinctSoTheExactCountStaysExact() {
        LongHashSet set = new LongHashSet();
        for (int i = 0; i < 500_000; i++) {
            set.add(HyperLogLog.hash64("customer-" + i + "-" + "x".repeat(i % 50)));
            set.add(HyperLogLog.hash64((long) i));
        }
        assertThat(set.size()).isEqualTo(1_000_000);
    }
}
