package io.dmlp.dataset.service;

import io.dmlp.dataset.repository.SilverTables;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;

/**
 * The Iceberg side of one upload, done last inside the dataset's database transaction: create the table (for a
 * new dataset), then one commit per file. {@link #undo()} reverses what was committed when the transaction does
 * not complete, so a failed upload leaves no commit behind. Blocking.
 */
final class SilverCommit {

    private final SilverTables tables;
    private final UUID tenant;
    private final String tableName;
    private final List<DataFile> appended = new ArrayList<>();
    private Table table;
    private boolean created;

    SilverCommit(SilverTables tables, UUID tenant, String tableName) {
        this.tables = tables;
        this.tenant = tenant;
        this.tableName = tableName;
    }

    void create(String location, Schema schema, long datasetId, String owner) {
        table = tables.create(tenant, tableName, location, schema, datasetId, owner);
        created = true;
    }

    void append(List<DataFile> files) {
        if (table == null) {
            table = tables.load(tenant, tableName);
        }
        tables.append(table, files);
        appended.addAll(files);
    }

    void undo() {
        if (created) {
            tables.drop(tenant, tableName);
        } else if (table != null) {
            tables.remove(table, appended);
        }
    }
}
