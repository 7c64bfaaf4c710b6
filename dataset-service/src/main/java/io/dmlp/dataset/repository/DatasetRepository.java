package io.dmlp.dataset.repository;

import io.dmlp.common.security.Caller;
import io.dmlp.dataset.domain.Dataset;
import io.dmlp.dataset.domain.DatasetFile;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Datasets and their files. */
@ApplicationScoped
@WithSession
public class DatasetRepository implements PanacheRepositoryBase<Dataset, Long> {

    /** The dataset if the caller may see it; otherwise (or if there is none) a 404. */
    public Uni<Dataset> visible(Caller caller, long datasetId) {
        return caller.visible(findById(datasetId), d -> d.tenantId, "Dataset " + datasetId + " not found.");
    }

    public Uni<Boolean> nameOrTableTaken(UUID tenantId, String name, String table) {
        return count("tenantId = ?1 and (lower(datasetName) = lower(?2) or lower(icebergTableName) = lower(?3))",
                tenantId, name, table).map(n -> n > 0);
    }

    /**
     * A page of datasets, newest first: a tenant's ({@code tenantId}) or everyone's (null); {@code validOnly}
     * keeps those with at least one valid file.
     */
    public Uni<List<Dataset>> page(UUID tenantId, boolean validOnly, int skip, int limit) {
        return find(filter(tenantId, validOnly) + " order by d.id desc", parameters(tenantId))
                .range(skip, skip + limit - 1).list();
    }

    public Uni<Long> count(UUID tenantId, boolean validOnly) {
        return count(filter(tenantId, validOnly), parameters(tenantId));
    }

    private static String filter(UUID tenantId, boolean validOnly) {
        List<String> conditions = new ArrayList<>();
        if (tenantId != null) {
            conditions.add("d.tenantId = :tenant");
        }
        if (validOnly) {
            conditions.add("exists (select 1 from DatasetFile f where f.datasetId = d.id and f.valid = true)");
        }
        return "from Dataset d" + (conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions));
    }

    private static Map<String, Object> parameters(UUID tenantId) {
        return tenantId == null ? Map.of() : Map.of("tenant", tenantId);
    }

    public Uni<List<DatasetFile>> files(long datasetId) {
        return Panache.getSession().chain(session -> session.createSelectionQuery(
                "from DatasetFile where datasetId = ?1 order by id", DatasetFile.class)
                .setParameter(1, datasetId).getResultList());
    }

    /** Files of many datasets at once, for lists. */
    public Uni<List<DatasetFile>> filesOf(List<Long> datasetIds) {
        if (datasetIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return Panache.getSession().chain(session -> session.createSelectionQuery(
                "from DatasetFile where datasetId in ?1 order by id", DatasetFile.class)
                .setParameter(1, datasetIds).getResultList());
    }

    /** Ids for files about to be uploaded, taken from the table's sequence. */
    public Uni<List<Long>> reserveFileIds(int count) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                "select nextval('dataset_file_id_seq') from generate_series(1, ?1)", Long.class)
                .setParameter(1, count).getResultList());
    }

    public Uni<DatasetFile> file(long fileId) {
        return Panache.getSession().chain(session -> session.find(DatasetFile.class, fileId));
    }

    public Uni<DatasetFile> fileByKey(String key) {
        return Panache.getSession().chain(session -> session.createSelectionQuery(
                "from DatasetFile where csvFilePath = ?1", DatasetFile.class)
                .setParameter(1, key).getSingleResultOrNull());
    }

    public Uni<Void> deleteFile(DatasetFile file) {
        return Panache.getSession().chain(session -> session.remove(file));
    }

    public Uni<Void> persistFile(DatasetFile file) {
        return Panache.getSession().chain(session -> session.persist(file));
    }
}
