package io.dmlp.dataset.service;

import io.dmlp.common.security.Caller;
import io.dmlp.common.security.Permission;
import io.dmlp.dataset.domain.DatasetFile;
import io.dmlp.dataset.domain.DatasetWithFiles;
import io.dmlp.dataset.repository.DatasetRepository;
import io.dmlp.dataset.repository.SilverTables;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Reading datasets the caller may see: pages, one dataset, one file, the head of a dataset's table. */
@ApplicationScoped
public class DatasetQueries {

    /** A page of datasets with their files. */
    public record Page(List<DatasetWithFiles> datasets, long total) {
    }

    private final DatasetRepository datasets;
    private final SilverTables silver;

    public DatasetQueries(DatasetRepository datasets, SilverTables silver) {
        this.datasets = datasets;
        this.silver = silver;
    }

    /** A page of the caller's datasets (a platform administrator's: everyone's), newest first. */
    @WithSession
    public Uni<Page> list(Caller caller, boolean validOnly, int skip, int limit) {
        caller.require(Permission.VIEW);
        UUID scope = caller.isPlatformAdmin() ? null : UUID.fromString(caller.tenantId());
        return datasets.page(scope, validOnly, skip, limit).chain(page -> datasets.filesOf(
                page.stream().map(d -> d.id).toList()).map(files -> page.stream()
                        .map(d -> new DatasetWithFiles(d, files.stream().filter(f -> f.datasetId.equals(d.id))
                                .toList()))
                        .toList()))
                .chain(listed -> datasets.count(scope, validOnly).map(total -> new Page(listed, total)));
    }

    @WithSession
    public Uni<DatasetWithFiles> get(Caller caller, long datasetId) {
        caller.require(Permission.VIEW);
        return datasets.visible(caller, datasetId).chain(d -> datasets.files(d.id)
                .map(files -> new DatasetWithFiles(d, files)));
    }

    @WithSession
    public Uni<DatasetFile> file(Caller caller, long fileId) {
        caller.require(Permission.VIEW);
        return caller.visible(datasets.file(fileId), f -> f.tenantId, "File " + fileId + " not found.");
    }

    /** The first {@code rows} rows of the dataset's silver table, typed. */
    public Uni<List<Map<String, Object>>> head(Caller caller, long datasetId, int rows) {
        caller.require(Permission.VIEW);
        return Panache.withSession(() -> datasets.visible(caller, datasetId))
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(dataset -> silver.head(dataset.tenantId, dataset.icebergTableName, rows));
    }
}
