package io.dmlp.datalake.service;

import io.dmlp.common.error.ResourceNotFoundException;
import io.dmlp.common.error.UnprocessableEntityException;
import io.dmlp.common.security.Caller;
import io.dmlp.common.security.Permission;
import io.dmlp.datalake.config.DatalakeConfig;
import io.dmlp.lakehouse.ColumnTypes;
import io.dmlp.lakehouse.Lakehouse;
import io.dmlp.lakehouse.LakehouseConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.types.Types;

/**
 * A read-only view of the Iceberg catalog for one caller: the schemas, and in each the tables of the caller's
 * tenant ({@code <schema>.<tenant id>} namespaces). A platform administrator sees every tenant's tables, named
 * {@code <tenant id>.<table>}. Anything the caller may not see is reported exactly like what does not exist
 * (404). Identifiers are looked up in the catalog, never put into a query. Column statistics are cached per
 * table snapshot ({@link StatisticsCache}): a cached one needs no scan slot. Blocking.
 */
@ApplicationScoped
public class DatalakeService {

    /** A column as the browser shows it. */
    public record Column(String columnName, String dataType) {
    }

    /** What the guide's table_metadata shows, plus the current snapshot's numbers. */
    public record Metadata(String schema, String table, String owner, OffsetDateTime createdTime,
            OffsetDateTime lastAccessTime, String location, String format, Long currentSnapshotId, int snapshotCount,
            long recordCount, long dataFileCount, long totalBytes) {
    }

    private final Lakehouse lakehouse;
    private final LakehouseConfig lakehouseConfig;
    private final ColumnStatistics statistics;
    private final ScanSlots scans;
    private final StatisticsCache cache;

    public DatalakeService(Lakehouse lakehouse, LakehouseConfig lakehouseConfig, DatalakeConfig limits,
            ScanSlots scans, StatisticsCache cache) {
        this.lakehouse = lakehouse;
        this.lakehouseConfig = lakehouseConfig;
        this.statistics = new ColumnStatistics(limits);
        this.scans = scans;
        this.cache = cache;
    }

    /** The schemas: the platform's own first, in their configured order, then any others in the catalog. */
    public List<String> schemas(Caller caller) {
        caller.require(Permission.VIEW_DATALAKE);
        List<String> schemas = new ArrayList<>(lakehouseConfig.schemas());
        lakehouse.catalog().listNamespaces(Namespace.empty()).stream().map(n -> n.level(0)).sorted()
                .filter(name -> !schemas.contains(name)).forEach(schemas::add);
        return schemas;
    }

    public List<String> tables(Caller caller, String schema) {
        caller.require(Permission.VIEW_DATALAKE);
        Namespace top = schema(schema);
        List<String> tables = new ArrayList<>();
        if (caller.isPlatformAdmin()) {
            for (Namespace tenant : lakehouse.catalog().listNamespaces(top)) {
                String prefix = tenant.level(1).equals(caller.tenantId()) ? "" : tenant.level(1) + ".";
                lakehouse.catalog().listTables(tenant).forEach(t -> tables.add(prefix + t.name()));
            }
        } else {
            Namespace own = Namespace.of(top.level(0), caller.tenantId());
            try {
                lakehouse.catalog().listTables(own).forEach(t -> tables.add(t.name()));
            } catch (NoSuchNamespaceException none) {
                // the tenant has no table in this schema yet
            }
        }
        tables.sort(null);
        return tables;
    }

    public List<Column> columns(Caller caller, String schema, String table) {
        caller.require(Permission.VIEW_DATALAKE);
        return table(caller, schema, table).schema().columns().stream()
                .map(c -> new Column(c.name(), ColumnTypes.sqlName(c.type()))).toList();
    }

    public Metadata metadata(Caller caller, String schema, String table) {
        caller.require(Permission.VIEW_DATALAKE);
        Table loaded = table(caller, schema, table);
        TableMetadata metadata = ((BaseTable) loaded).operations().current();
        Snapshot current = loaded.currentSnapshot();
        long created = metadata.previousFiles().isEmpty() ? metadata.lastUpdatedMillis()
                : metadata.previousFiles().get(0).timestampMillis();
        Map<String, String> summary = current == null ? Map.of() : current.summary();
        String owner = loaded.properties().getOrDefault(Lakehouse.OWNER_PROPERTY, loaded.properties().get(Lakehouse.TENANT_PROPERTY));
        return new Metadata(schema, table, owner, time(created), current == null ? null : time(current.timestampMillis()),
                loaded.location(), "iceberg", current == null ? null : current.snapshotId(),
                metadata.snapshots().size(), number(summary, "total-records"), number(summary, "total-data-files"),
                number(summary, "total-files-size"));
    }

    public ColumnStatistics.Numeric numericStats(Caller caller, String schema, String table, String column) {
        caller.require(Permission.VIEW_DATALAKE);
        Table loaded = table(caller, schema, table);
        Types.NestedField field = column(loaded, column);
        if (!ColumnTypes.numeric(field.type())) {
            throw new UnprocessableEntityException("Column '" + column + "' is " + ColumnTypes.sqlName(field.type())
                    + ", not numeric: numeric_stats needs an integer, bigint, real, double or decimal column.");
        }
        return cache.numeric(loaded, field, () -> scans.scan(() -> statistics.numeric(loaded, field)));
    }

    public ColumnStatistics.Distinct distinctCount(Caller caller, String schema, String table, String column) {
        caller.require(Permission.VIEW_DATALAKE);
        Table loaded = table(caller, schema, table);
        Types.NestedField field = column(loaded, column);
        return cache.distinct(loaded, field, () -> scans.scan(() -> statistics.distinct(loaded, field)));
    }

    private Namespace schema(String schema) {
        if (schema == null || schema.isBlank()) {
            throw new UnprocessableEntityException("Name the schema (e.g. silver).");
        }
        ResourceNotFoundException missing = new ResourceNotFoundException("Schema '" + schema + "' not found.");
        if (!nameable(schema) || schema.contains(".")) {
            throw missing;
        }
        Namespace namespace = Namespace.of(schema);
        if (!lakehouse.catalog().namespaceExists(namespace)) {
            throw missing;
        }
        return namespace;
    }

    /** The caller's table, or for a platform administrator {@code <tenant id>.<table>}; 404 for anything else. */
    private Table table(Caller caller, String schema, String table) {
        Namespace top = schema(schema);
        if (table == null || table.isBlank()) {
            throw new UnprocessableEntityException("Name the table.");
        }
        String tenant = caller.tenantId();
        String name = table;
        int dot = table.indexOf('.');
        if (dot > 0 && caller.isPlatformAdmin()) {
            tenant = table.substring(0, dot);
            name = table.substring(dot + 1);
        }
        ResourceNotFoundException missing = new ResourceNotFoundException("Table '" + table + "' not found in schema '"
                + schema + "'.");
        if (!isUuid(tenant) || name.isEmpty() || name.contains(".") || !nameable(name)) {
            throw missing;
        }
        try {
            Table loaded = lakehouse.catalog().loadTable(TableIdentifier.of(Namespace.of(top.level(0), tenant), name));
            if (!caller.isPlatformAdmin() && !tenant.equals(loaded.properties().get(Lakehouse.TENANT_PROPERTY))) {
                throw missing; // a table without its owner recorded is shown to nobody but the administrator
            }
            return loaded;
        } catch (NoSuchTableException | NoSuchNamespaceException e) {
            throw missing;
        }
    }

    private static Types.NestedField column(Table table, String column) {
        if (column == null || column.isBlank()) {
            throw new UnprocessableEntityException("Name the column.");
        }
        Types.NestedField field = table.schema().findField(column);
        if (field == null || !field.type().isPrimitiveType()) {
            throw new ResourceNotFoundException("Column '" + column + "' not found in table '" + table.name() + "'.");
        }
        return field;
    }

    /** Control characters (a NUL above all) are refused by the catalog itself: no schema or table has one. */
    private static boolean nameable(String name) {
        return name.chars().noneMatch(Character::isISOControl);
    }

    private static boolean isUuid(String text) {
        try {
            return UUID.fromString(text).toString().equals(text);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static OffsetDateTime time(long millis) {
        return OffsetDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
    }

    private static long number(Map<String, String> summary, String key) {
        return Long.parseLong(summary.getOrDefault(key, "0"));
    }
}
