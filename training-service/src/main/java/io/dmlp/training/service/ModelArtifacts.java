package io.dmlp.training.service;

import io.dmlp.common.error.UnprocessableEntityException;
import io.dmlp.lakehouse.Lakehouse;
import io.dmlp.lakehouse.ObjectStore;
import io.dmlp.training.config.TrainingConfig;
import io.dmlp.training.domain.TrainingRun;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.exceptions.NoSuchTableException;

/**
 * Where a run's data and artifacts are, and the presigned URLs its Ray jobs get instead of the store's keys: reads
 * of exactly the pinned snapshot's data files, and a write per artifact under {@code models/<tenant>/<train id>/}.
 * Blocking: call it from worker threads.
 */
@ApplicationScoped
public class ModelArtifacts {

    /**
     * What a tabular run writes (holdout_sample.json: hold-out rows with the graph's answers, which real-time
     * inference is checked against); a forecast writes its forecast instead of the ONNX graph.
     */
    static final List<String> TABLE_ARTIFACTS = List.of("model.onnx", "model.joblib", "metrics.json",
            "holdout_sample.json");
    static final List<String> FORECAST_ARTIFACTS = List.of("model.joblib", "forecast.json", "metrics.json");
    static final String SILVER = "silver";

    private final Lakehouse lakehouse;
    private final ObjectStore store;
    private final TrainingConfig config;

    public ModelArtifacts(Lakehouse lakehouse, ObjectStore store, TrainingConfig config) {
        this.lakehouse = lakehouse;
        this.store = store;
        this.config = config;
    }

    /**
     * The dataset's silver table as of now: the snapshot a run pins. 422 when it holds no rows yet (or was
     * dropped since the dataset was read).
     */
    public Lakehouse.Pinned pin(UUID tenantId, long datasetId, String table) {
        Lakehouse.Pinned pinned;
        try {
            pinned = lakehouse.pin(Lakehouse.table(SILVER, tenantId, table));
        } catch (NoSuchTableException gone) {
            pinned = null;
        }
        if (pinned == null || pinned.dataFiles().isEmpty()) {
            throw new UnprocessableEntityException("'dataset_id': dataset " + datasetId
                    + " has no validated rows to train on.");
        }
        return pinned;
    }

    /** Read URLs of the snapshot's data files, as the run pinned it; null when the snapshot has expired. */
    public List<String> snapshotFiles(TrainingRun run) {
        Lakehouse.Pinned pinned = lakehouse.pinned(Lakehouse.table(SILVER, run.tenantId, run.icebergTable),
                run.snapshotId);
        return pinned == null ? null : readUrls(pinned.dataFiles());
    }

    public List<String> readUrls(List<String> locations) {
        return locations.stream().map(file -> store.readUrl(file, config.urlValidity())).toList();
    }

    /** The artifacts' folder of a new run. */
    public String folder(UUID tenantId, long trainId) {
        return store.location(prefix(tenantId, trainId));
    }

    /** A write URL for each artifact the run makes. */
    public Map<String, String> writeUrls(TrainingRun run, List<String> names) {
        Map<String, String> urls = new LinkedHashMap<>();
        names.forEach(name -> urls.put(name, store.writeUrl(run.artifacts + name, config.urlValidity())));
        return urls;
    }

    /** A read URL for each named artifact of a run. */
    public Map<String, String> readUrls(TrainingRun run, List<String> names) {
        Map<String, String> urls = new LinkedHashMap<>();
        names.forEach(name -> urls.put(name, store.readUrl(run.artifacts + name, config.urlValidity())));
        return urls;
    }

    /** Deletes every artifact of the run. */
    public void delete(TrainingRun run) {
        store.deletePrefix(prefix(run.tenantId, run.id));
    }

    private String prefix(UUID tenantId, long trainId) {
        return config.artifactPrefix() + "/" + tenantId + "/" + trainId + "/";
    }
}
