package io.dmlp.dataset.service;

import io.dmlp.common.security.Caller;
import io.dmlp.common.security.Permission;
import io.dmlp.dataset.domain.DatasetWithFiles;
import io.dmlp.dataset.event.DatasetEvents;
import io.dmlp.dataset.repository.DatasetRepository;
import io.dmlp.dataset.repository.SilverTables;
import io.dmlp.jobs.domain.JobKind;
import io.dmlp.jobs.repository.RayJobRepository;
import io.dmlp.jobs.service.JobLifecycle;
import io.dmlp.lakehouse.ObjectStore;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Deleting datasets and files: rows and events first, in one transaction; then what lives outside the database,
 * best effort.
 */
@ApplicationScoped
public class DatasetDeletion {

    private final DatasetRepository datasets;
    private final DatasetEvents events;
    private final ObjectStore store;
    private final Vertx vertx;
    private final SilverTables silver;
    private final RayJobRepository rayJobs;
    private final JobLifecycle lifecycle;

    public DatasetDeletion(DatasetRepository datasets, DatasetEvents events, ObjectStore store, Vertx vertx,
            SilverTables silver, RayJobRepository rayJobs, JobLifecycle lifecycle) {
        this.datasets = datasets;
        this.events = events;
        this.store = store;
        this.vertx = vertx;
        this.silver = silver;
        this.rayJobs = rayJobs;
        this.lifecycle = lifecycle;
    }

    /**
     * Removes one file: its row and event in a transaction whose last step removes its rows from the silver
     * table, then its raw object.
     */
    public Uni<Void> deleteFile(Caller caller, long fileId) {
        caller.require(Permission.DELETE_DATASETS);
        return Panache.withTransaction(() -> caller.visible(datasets.file(fileId), f -> f.tenantId,
                        "File " + fileId + " not found.")
                .call(events::fileDeleted)
                .call(file -> datasets.deleteFile(file))
                .call(file -> datasets.findById(file.datasetId).chain(dataset -> vertx.executeBlocking(
                        Uni.createFrom().item(() -> {
                            silver.removeRowsOf(dataset.tenantId, dataset.icebergTableName, file.id);
                            return null;
                        }), false))))
                .chain(file -> vertx.executeBlocking(Uni.createFrom().item(() -> {
                    BestEffort.run("remove a deleted file's raw object", () -> store.delete(file.csvFilePath));
                    return null;
                }), false))
                .replaceWithVoid();
    }

    /**
     * Stops the dataset's unfinished statistics job on Ray (announced {@code cancelled}), deletes the dataset's rows,
     * then its silver table and raw objects (what a crash in between leaves is orphaned only: no dataset points at
     * it).
     */
    public Uni<Void> delete(Caller caller, long datasetId) {
        caller.require(Permission.DELETE_DATASETS);
        return Panache.withSession(() -> datasets.visible(caller, datasetId)
                        .chain(d -> rayJobs.owned(JobKind.STATISTICS, d.id.toString())))
                .chain(lifecycle::cancelAll)
                .chain(() -> Panache.withTransaction(() -> datasets.visible(caller, datasetId)
                        .chain(d -> datasets.files(d.id)
                .call(() -> events.datasetDeleted(d))
                .call(() -> rayJobs.deleteOwned(JobKind.STATISTICS, d.id.toString()))
                .call(() -> datasets.delete(d))
                .map(files -> new DatasetWithFiles(d, files)))))
                .chain(deleted -> vertx.executeBlocking(Uni.createFrom().item(() -> {
                    BestEffort.run("drop a deleted dataset's table", () -> silver.drop(deleted.dataset().tenantId,
                            deleted.dataset().icebergTableName));
                    deleted.files().forEach(f -> BestEffort.run("remove a deleted dataset's raw object",
                            () -> store.delete(f.csvFilePath)));
                    return null;
                }), false))
                .replaceWithVoid();
    }
}
