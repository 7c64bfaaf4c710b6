package io.dmlp.catalog.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The datasets' schemas catalog-service learns from dataset events. */
@ConfigMapping(prefix = "dmlp.dataset-schema")
public interface DatasetSchemaConfig {

    /**
     * How long a template made from a dataset waits for the dataset's event before answering 404: the event
     * reaches catalog-service a moment after the upload answered (outbox relay, then Kafka), and a template made
     * right after an upload must not fail for that.
     */
    @WithDefault("5s")
    Duration arrivalWait();
}
