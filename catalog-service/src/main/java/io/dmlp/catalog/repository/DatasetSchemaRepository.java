package io.dmlp.catalog.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** The datasets' names and columns, as dataset events told them; every read and write is scoped by tenant. */
@ApplicationScoped
@WithSession
public class DatasetSchemaRepository {

    /** A dataset's name and its columns as JSON. */
    public record DatasetSchema(String datasetName, String columns) {
    }

    /**
     * Records or replaces a dataset's schema; a row of another tenant under the same id is left as it is.
     * Returns the rows written.
     */
    public Uni<Integer> upsert(long datasetId, UUID tenantId, String datasetName, String columns) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                "insert into dataset_schema (dataset_id, tenant_id, dataset_name, dataset_schema)"
                        + " values (?1, ?2, ?3, ?4)"
                        + " on conflict (dataset_id) do update set dataset_name = excluded.dataset_name,"
                        + " dataset_schema = excluded.dataset_schema, learned_at = now()"
                        + " where dataset_schema.tenant_id = excluded.tenant_id")
                .setParameter(1, datasetId).setParameter(2, tenantId).setParameter(3, datasetName)
                .setParameter(4, columns).executeUpdate());
    }

    /** The schema of a dataset of {@code tenantId}, or null (unknown, or another tenant's). */
    public Uni<DatasetSchema> find(long datasetId, UUID tenantId) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                "select dataset_name, dataset_schema from dataset_schema where dataset_id = ?1 and tenant_id = ?2",
                Object[].class)
                .setParameter(1, datasetId).setParameter(2, tenantId).getSingleResultOrNull())
                .map(row -> row == null ? null : new DatasetSchema((String) row[0], (String) row[1]));
    }

    /** Forgets a dataset of {@code tenantId}: another tenant's event removes nothing. */
    public Uni<Integer> delete(long datasetId, UUID tenantId) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                "delete from dataset_schema where dataset_id = ?1 and tenant_id = ?2")
                .setParameter(1, datasetId).setParameter(2, tenantId).executeUpdate());
    }
}
