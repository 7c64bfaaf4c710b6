package io.dmlp.dataset.service;

import io.dmlp.dataset.domain.DatasetFile;
import io.dmlp.dataset.event.DatasetEvents;
import io.dmlp.dataset.repository.DatasetRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * A batch prediction's result CSV as a file of the dataset it predicted, so that {@code /files/download/} serves it:
 * the file record points at the object inference's job wrote (no copy). Its rows are not the dataset's validated
 * rows: it is not valid and counts no records toward the dataset's usability.
 */
@ApplicationScoped
public class PredictionResultFiles {

    private static final Logger LOG = Logger.getLogger(PredictionResultFiles.class);

    /** A completed batch prediction, as its event tells it. */
    public record Result(UUID tenantId, long datasetId, long predictionId, String key, long sizeBytes,
            int fields) {
    }

    private final DatasetRepository datasets;
    private final DatasetEvents events;

    public PredictionResultFiles(DatasetRepository datasets, DatasetEvents events) {
        this.datasets = datasets;
        this.events = events;
    }

    /**
     * Records the result as a file of its dataset and announces it ({@code dataset.file.added} with
     * {@code prediction_id}), inside the caller's transaction. Nothing happens for a dataset that is gone or is
     * another tenant's, or a result already recorded.
     */
    public Uni<Void> register(Result result) {
        return datasets.findById(result.datasetId()).chain(dataset -> {
            if (dataset == null || !dataset.tenantId.equals(result.tenantId())) {
                LOG.infof("The result of prediction %d is not recorded: dataset %d is gone", result.predictionId(),
                        result.datasetId());
                return Uni.createFrom().voidItem();
            }
            return datasets.fileByKey(result.key()).chain(existing -> existing != null
                    ? Uni.createFrom().voidItem()
                    : datasets.reserveFileIds(1).chain(ids -> {
                        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
                        DatasetFile file = new DatasetFile();
                        file.id = ids.get(0);
                        file.datasetId = dataset.id;
                        file.tenantId = dataset.tenantId;
                        file.fileName = "prediction_" + result.predictionId() + "_result.csv";
                        file.csvFilePath = result.key();
                        file.sizeBytes = result.sizeBytes();
                        file.totalFields = result.fields();
                        file.valid = false;
                        file.createdAt = now;
                        file.modifiedAt = now;
                        return datasets.persistFile(file)
                                .chain(() -> events.predictionResultAdded(dataset, file, result.predictionId()));
                    }));
        });
    }
}
