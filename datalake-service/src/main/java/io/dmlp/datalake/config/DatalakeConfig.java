package io.dmlp.datalake.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Limits of the column statistics: exact below them, approximate (and flagged) above. */
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
     * Up to this many distinct values the count is exact (held in a hash set); beyond it a HyperLogLog sketch
     * (about 0.8% standard error) takes over and the count is flagged approximate.
     */
    @WithDefault("500000")
    int exactDistinctValues();
}
