package io.dmlp.dataset.repository;

import io.dmlp.lakehouse.ColumnTypes;
import io.dmlp.lakehouse.Lakehouse;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFiles;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;

/**
 * The datasets' silver Iceberg tables. Every method blocks: call them from worker threads. Catalog or store
 * failures surface as 503s ({@link Lakehouse#guarded}).
 */
@ApplicationScoped
public class SilverTables {

    public static final String SCHEMA = "silver";
    public static final String DATASET_PROPERTY = "dmlp.dataset-id";

    private final Lakehouse lakehouse;

    public SilverTables(Lakehouse lakehouse) {
        this.lakehouse = lakehouse;
    }

    public static TableIdentifier identifier(UUID tenant, String table) {
        return Lakehouse.table(SCHEMA, tenant, table);
    }

    /** A location for a new table (data files may be written there before the table exists). */
    public String newLocation(UUID tenant, String table) {
        return lakehouse.newTableLocation(identifier(tenant, table));
    }

    /**
     * Creates the table at {@code location}. A table of that name without a dataset (left by a crash between its
     * creation and the dataset's commit) is dropped first: the caller holds the dataset's unique name.
     */
    public Table create(UUID tenant, String table, String location, Schema schema, long datasetId, String owner) {
        TableIdentifier id = identifier(tenant, table);
        return Lakehouse.guarded("create table " + id, () -> {
            lakehouse.ensureNamespace(id.namespace());
            if (lakehouse.catalog().tableExists(id)) {
                lakehouse.catalog().dropTable(id, true);
            }
            Table created = lakehouse.catalog().buildTable(id, schema).withLocation(location)
                    .withProperty(Lakehouse.TENANT_PROPERTY, tenant.toString())
                    .withProperty(DATASET_PROPERTY, Long.toString(datasetId))
                    .withProperty(Lakehouse.OWNER_PROPERTY, owner)
                    .withProperty(TableProperties.PARQUET_COMPRESSION, "snappy")
                    .create();
            if (!created.schema().sameSchema(schema)) {
                throw new IllegalStateException("Iceberg assigned other field ids to " + id);
            }
            return created;
        });
    }

    public Table load(UUID tenant, String table) {
        TableIdentifier id = identifier(tenant, table);
        return Lakehouse.guarded("load table " + id, () -> lakehouse.catalog().loadTable(id));
    }

    /** Makes the data files part of the table in one commit (concurrent appends are retried by Iceberg). */
    public void append(Table table, List<DataFile> files) {
        if (files.isEmpty()) {
            return;
        }
        Lakehouse.guarded("commit to " + table.name(), () -> {
            AppendFiles append = table.newAppend();
            files.forEach(append::appendFile);
            append.commit();
            return null;
        });
    }

    /** Removes the data files again (undoing {@link #append} when the dataset's own commit failed). */
    public void remove(Table table, List<DataFile> files) {
        if (files.isEmpty()) {
            return;
        }
        Lakehouse.guarded("undo a commit to " + table.name(), () -> {
            DeleteFiles delete = table.newDelete();
            files.forEach(delete::deleteFile);
            delete.commit();
            return null;
        });
    }

    /** Removes one dataset file's rows: each data file holds the rows of one file, so whole files go. */
    public void removeRowsOf(UUID tenant, String table, long fileId) {
        Lakehouse.guarded("remove rows of file " + fileId, () -> {
            try {
                lakehouse.catalog().loadTable(identifier(tenant, table)).newDelete()
                        .deleteFromRowFilter(Expressions.equal(ColumnTypes.FILE_ID, fileId)).commit();
            } catch (NoSuchTableException gone) {
                // nothing left to remove
            }
            return null;
        });
    }

    /** Drops the table and its files; a table that is already gone is fine. */
    public void drop(UUID tenant, String table) {
        Lakehouse.guarded("drop table " + table, () -> lakehouse.catalog().dropTable(identifier(tenant, table), true));
    }

    /** The URIs of the table's current data files (none when the table is empty or gone). */
    public List<String> dataFiles(UUID tenant, String table) {
        return Lakehouse.guarded("list the files of " + table, () -> {
            List<String> files = new ArrayList<>();
            try (var tasks = lakehouse.catalog().loadTable(identifier(tenant, table)).newScan().planFiles()) {
                tasks.forEach(task -> files.add(task.file().location()));
            } catch (NoSuchTableException gone) {
                return List.<String>of();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return files;
        });
    }

    /** The first {@code limit} rows, template columns only, as column → value. */
    public List<Map<String, Object>> head(UUID tenant, String table, int limit) {
        return Lakehouse.guarded("read table " + table, () -> {
            Table loaded;
            try {
                loaded = lakehouse.catalog().loadTable(identifier(tenant, table));
            } catch (NoSuchTableException e) {
                return List.of();
            }
            List<String> columns = loaded.schema().columns().stream().map(Types.NestedField::name)
                    .filter(name -> !name.equals(ColumnTypes.FILE_ID)).toList();
            List<Map<String, Object>> rows = new ArrayList<>();
            try (CloseableIterable<Record> records = IcebergGenerics.read(loaded).select(columns).build()) {
                for (Record record : records) {
                    if (rows.size() == limit) {
                        break;
                    }
                    Map<String, Object> row = new LinkedHashMap<>();
                    columns.forEach(column -> row.put(column, shown(record.getField(column))));
                    rows.add(row);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return rows;
        });
    }

    /** Date-times are stored in UTC: show them with their offset ({@code 2025-08-09T16:23:00Z}), as the guide does. */
    private static Object shown(Object value) {
        return value instanceof java.time.LocalDateTime time ? time.atOffset(java.time.ZoneOffset.UTC) : value;
    }

}
