package io.dmlp.dataset.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Bounds of a schema inferred from an upload without a template: each column becomes an Iceberg field, a
 * template column and a column of every statistics job, so a header may not name columns without limit.
 */
@ConfigMapping(prefix = "dmlp.dataset.inferred-schema")
public interface InferredSchemaConfig {

    /** Columns an inferred schema may have; a wider header is refused (422) before anything is stored. */
    @WithDefault("1000")
    int maxColumns();

    /** Characters a column name of an inferred schema may have; a longer one is refused (422). */
    @WithDefault("128")
    int maxColumnNameLength();
}
