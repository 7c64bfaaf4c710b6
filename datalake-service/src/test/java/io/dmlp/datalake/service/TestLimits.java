package io.dmlp.datalake.service;

import io.dmlp.datalake.config.DatalakeConfig;
import java.time.Duration;

/** Small statistics limits for tests that build {@link ColumnStatistics} or a scan by hand. */
public final class TestLimits {

    private TestLimits() {
    }

    public static DatalakeConfig of(int exactMedianValues, int sampleSize, int exactDistinctValues) {
        return new DatalakeConfig() {
            public int exactMedianValues() {
                return exactMedianValues;
            }

            public int sampleSize() {
                return sampleSize;
            }

            public int exactDistinctValues() {
                return exactDistinctValues;
            }

            public int concurrentScans() {
                return 1;
            }

            public Duration scanRetryAfter() {
                return Duration.ofSeconds(1);
            }

            public int cachedStatistics() {
                return 10;
            }
        };
    }
}
