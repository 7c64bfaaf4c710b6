package io.dmlp.dataset.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmlp.common.outbox.Outbox;
import io.dmlp.dataset.domain.Dataset;
import io.dmlp.dataset.domain.DatasetFile;
import io.dmlp.dataset.domain.DatasetWithFiles;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;

/** Dataset events on {@value #TOPIC}, written through the outbox in the caller's transaction. */
@ApplicationScoped
public class DatasetEvents {

    public static final String TOPIC = "dmlp.dataset.events";
    private static final String DOMAIN = "dataset";

    private final Outbox outbox;
    private final ObjectMapper json;

    public DatasetEvents(Outbox outbox, ObjectMapper json) {
        this.outbox = outbox;
        this.json = json;
    }

    /** A new dataset; {@code template_id} is null for an inferred schema. */
    public Uni<Void> datasetCreated(Dataset dataset) {
        Map<String, Object> created = new LinkedHashMap<>(); // template_id is null for an inferred schema
        created.put("dataset_id", dataset.id);
        created.put("template_id", dataset.templateId);
        created.put("template_version", dataset.templateVersion);
        // The name and columns let consumers (catalog-service's from-dataset) answer without calling back.
        created.put("dataset_name", dataset.datasetName);
        created.put("dataset_schema", columns(dataset));
        return append("dataset.created", dataset.id.toString(), dataset.tenantId.toString(), created);
    }

    /** The dataset's validity and usability over all its files, after files were added. */
    public Uni<Void> datasetValidated(DatasetWithFiles listed) {
        Dataset dataset = listed.dataset();
        return append("dataset.validated", dataset.id.toString(), dataset.tenantId.toString(),
                Map.of("dataset_id", dataset.id, "is_valid", listed.valid(), "dataset_usability",
                        listed.usability()));
    }

    public Uni<Void> datasetDeleted(Dataset dataset) {
        return append("dataset.deleted", dataset.id.toString(), dataset.tenantId.toString(),
                Map.of("dataset_id", dataset.id));
    }

    /** An uploaded file of {@code dataset}. */
    public Uni<Void> fileAdded(Dataset dataset, DatasetFile file) {
        return append("file.added", dataset.id.toString(), dataset.tenantId.toString(),
                Map.of("dataset_id", dataset.id, "file_id", file.id, "is_valid", file.valid));
    }

    /** Also {@code file.added}: a batch prediction's result recorded as a file of {@code dataset}. */
    public Uni<Void> predictionResultAdded(Dataset dataset, DatasetFile file, long predictionId) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("dataset_id", dataset.id);
        data.put("file_id", file.id);
        data.put("is_valid", false);
        data.put("prediction_id", predictionId);
        return append("file.added", dataset.id.toString(), dataset.tenantId.toString(), data);
    }

    public Uni<Void> fileDeleted(DatasetFile file) {
        return append("file.deleted", file.datasetId.toString(), file.tenantId.toString(),
                Map.of("dataset_id", file.datasetId, "file_id", file.id));
    }

    private JsonNode columns(Dataset dataset) {
        try {
            return json.readTree(dataset.templateSchema);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Dataset " + dataset.id + " has an unreadable schema", e);
        }
    }

    private Uni<Void> append(String name, String subject, String tenantId, Map<String, Object> data) {
        return outbox.append(TOPIC, DOMAIN, name, subject, tenantId, data).replaceWithVoid();
    }
}
