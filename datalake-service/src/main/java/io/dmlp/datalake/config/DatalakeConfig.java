package io.dmlp.datalake.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Limits of the column statistics: exact below them, approximate (and flagged) above; concurrent scans; how many
 * are cached.
 */
@ConfigMapping(prefix = "dmlp.datalake")
public interface DatalakeConfig {

    /**
     * Up to this many values the median is exact (the values are held as primitive doubles: 8 bytes each); above
     * it the median comes from a uniform sample of {@link #sampleSize()} values and is flagged approximate.
     */
    @WithDefault("2000000")
    int exactMedianValues();

    /** Values kept for an approximate median. */
    @WithDefault("100000")
    int sampleSize();

    /**
     * Up to this many distinct values the count is exact (their 64-bit hashes held in a primitive set: at most
     * 16 bytes each, 8 MiB at the default); beyond it a HyperLogLog sketch (about 0.8% standard error) takes over
     * and the count is flagged approximate.
     */
    @WithDefault("500000")
    int exactDistinctValues();

    /**
     * Column scans (numeric_stats, distinct-count) this service runs at once, across all callers. Each holds
     * up to the median values or distinct hashes above and a worker thread; one more is refused with 429 and
     * {@link #scanRetryAfter()}.
     */
    @WithDefault("2")
    int concurrentScans();

    /** The Retry-After of a scan refused because {@link #concurrentScans()} are running. */
    @WithDefault("5s")
    Duration scanRetryAfter();

    /**
     * Column statistics kept in memory, one per table snapshot, column and statistic: a repeated call on a table
     * that has not changed since is answered from them without a scan. An entry takes about a hundred bytes; the
     * least used go first.
     */
    @WithDefault("10000")
    int cachedStatistics();
}
