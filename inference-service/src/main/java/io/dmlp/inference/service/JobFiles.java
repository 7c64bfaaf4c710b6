package io.dmlp.inference.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmlp.common.error.UnprocessableEntityException;
import io.dmlp.inference.config.InferenceConfig;
import io.dmlp.lakehouse.Lakehouse;
import io.dmlp.lakehouse.ObjectStore;
import io.dmlp.lakehouse.S3Location;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;
import org.apache.iceberg.exceptions.NoSuchTableException;

/**
 * What a batch or forecast job reads and writes, as presigned URLs instead of the store's keys: a model's artifacts,
 * the pinned silver snapshot of a dataset, and its own outputs under {@code <result prefix>/<tenant>/<prediction
 * id>/} in the platform's bucket. Blocking: call it from worker threads.
 */
@ApplicationScoped
public class JobFiles {

    static final String SILVER = "silver";

    private final Lakehouse lakehouse;
    private final ObjectStore store;
    private final InferenceConfig config;
    private final ObjectMapper json;

    public JobFiles(Lakehouse lakehouse, ObjectStore store, InferenceConfig config, ObjectMapper json) {
        this.lakehouse = lakehouse;
        this.store = store;
        this.config = config;
        this.json = json;
    }

    /**
     * Read URLs of the data files of the dataset's silver table as of now (the snapshot the job reads); 422 naming
     * {@code field} when it holds no rows.
     */
    public List<String> pinnedFiles(UUID tenantId, long datasetId, String table, String field) {
        Lakehouse.Pinned pinned;
        try {
            pinned = lakehouse.pin(Lakehouse.table(SILVER, tenantId, table));
        } catch (NoSuchTableException gone) {
            pinned = null;
        }
        if (pinned == null || pinned.dataFiles().isEmpty()) {
            throw new UnprocessableEntityException("'" + field + "': dataset " + datasetId
                    + " has no validated rows.");
        }
        return pinned.dataFiles().stream().map(this::readUrl).toList();
    }

    /** The {@code s3://} location of a job's output {@code name}. */
    public String output(UUID tenantId, long predictionId, String name) {
        return store.location(config.resultPrefix() + "/" + tenantId + "/" + predictionId + "/" + name);
    }

    public String readUrl(String location) {
        return store.readUrl(location, config.urlValidity());
    }

    public String writeUrl(String location) {
        return store.writeUrl(location, config.urlValidity());
    }

    /** A JSON object of the platform's bucket, e.g. a model's {@code forecast.json}. */
    public JsonNode readJson(String location) {
        try (InputStream in = store.get(S3Location.parse(location).key())) {
            return json.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + location, e);
        }
    }
}
