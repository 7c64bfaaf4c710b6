package io.dmlp.lakehouse;

import io.dmlp.common.config.S3Config;
import io.dmlp.common.error.ApiException;
import io.dmlp.common.error.DependencyUnavailableException;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.aws.s3.S3FileIO;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.jboss.logging.Logger;

/**
 * The platform's Iceberg catalog. Schemas are the top-level namespaces ({@code bronze}, {@code silver},
 * {@code gold}, {@code default}); a tenant's tables live in the namespace {@code <schema>.<tenant id>}, so two
 * tenants may use the same table name, and each table also records its owner in the property
 * {@value #TENANT_PROPERTY}. Blocking: call it from worker threads.
 */
@ApplicationScoped
public class Lakehouse {

    private static final Logger LOG = Logger.getLogger(Lakehouse.class);

    public static final String TENANT_PROPERTY = "dmlp.tenant-id";
    /** The user who created the table, as the datalake browser shows it. */
    public static final String OWNER_PROPERTY = "owner";

    private final LakehouseConfig config;
    private final S3Config s3;
    private volatile JdbcCatalog catalog;
    private volatile S3FileIO io;

    public Lakehouse(LakehouseConfig config, S3Config s3) {
        this.config = config;
        this.s3 = s3;
    }

    /** The catalog, connected on first use; the configured schemas exist once it returns. */
    public JdbcCatalog catalog() {
        JdbcCatalog current = catalog;
        if (current == null) {
            synchronized (this) {
                if (catalog == null) {
                    connect();
                }
                current = catalog;
            }
        }
        return current;
    }

    /** The warehouse's file store, for data files written before their table commit. */
    public FileIO io() {
        S3FileIO current = io;
        if (current == null) {
            synchronized (this) {
                if (io == null) {
                    S3FileIO created = new S3FileIO();
                    created.initialize(s3Properties());
                    io = created;
                }
                current = io;
            }
        }
        return current;
    }

    /** Where {@code tenant}'s table {@code name} of {@code schema} lives in the catalog. */
    public static TableIdentifier table(String schema, UUID tenant, String name) {
        return TableIdentifier.of(Namespace.of(schema, tenant.toString()), name);
    }

    /**
     * A table as of one snapshot: its id and the data files a reader of exactly that snapshot reads, in path order
     * (the same for every reader of the snapshot).
     */
    public record Pinned(long snapshotId, List<String> dataFiles) {
    }

    /**
     * The table's current snapshot with its data files, or null when the table has no snapshot yet (no rows were
     * ever committed). A missing table is a {@link NoSuchTableException}.
     */
    public Pinned pin(TableIdentifier table) {
        return guarded("read the snapshot of " + table, () -> {
            Table loaded = catalog().loadTable(table);
            Snapshot current = loaded.currentSnapshot();
            return current == null ? null : new Pinned(current.snapshotId(), dataFiles(loaded, current.snapshotId()));
        });
    }

    /** The table as of snapshot {@code snapshotId}, or null when the table or that snapshot no longer exists. */
    public Pinned pinned(TableIdentifier table, long snapshotId) {
        return guarded("read snapshot " + snapshotId + " of " + table, () -> {
            Table loaded;
            try {
                loaded = catalog().loadTable(table);
            } catch (NoSuchTableException gone) {
                return null;
            }
            return loaded.snapshot(snapshotId) == null ? null
                    : new Pinned(snapshotId, dataFiles(loaded, snapshotId));
        });
    }

    private static List<String> dataFiles(Table table, long snapshotId) {
        List<String> files = new ArrayList<>();
        try (var tasks = table.newScan().useSnapshot(snapshotId).planFiles()) {
            tasks.forEach(task -> files.add(task.file().location()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Scan planning has no stable order; readers of one snapshot (a run's seeded split) must see one.
        files.sort(null);
        return files;
    }

    /** Creates {@code namespace} (a tenant's part of a schema) unless it exists. */
    public void ensureNamespace(Namespace namespace) {
        if (!catalog().namespaceExists(namespace)) {
            try {
                catalog().createNamespace(namespace);
            } catch (AlreadyExistsException raced) {
                // created at the same moment by a concurrent upload
            }
        }
    }

    /** A fresh location for a new table: a re-created table never shares files with its predecessor. */
    public String newTableLocation(TableIdentifier table) {
        return warehouse() + String.join("/", table.namespace().levels()) + "/" + table.name() + "-"
                + UUID.randomUUID();
    }

    /**
     * Runs a call on the catalog or its storage. What the caller handles itself passes unchanged: API errors,
     * a missing table or namespace, a broken invariant ({@link IllegalStateException}). Anything else means the
     * lakehouse failed, which a client sees as a 503 naming {@code what} could not be done.
     */
    public static <T> T guarded(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (ApiException | NoSuchTableException | NoSuchNamespaceException | IllegalStateException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warnf("The lakehouse could not %s: %s", what, e.toString());
            throw new DependencyUnavailableException("The lakehouse could not " + what + ": "
                    + e.getClass().getSimpleName());
        }
    }

    private JdbcCatalog connect() {
        JdbcCatalog created = new JdbcCatalog();
        Map<String, String> properties = new java.util.HashMap<>(s3Properties());
        properties.put(CatalogProperties.URI, config.jdbcUrl());
        properties.put("jdbc.user", config.jdbcUser());
        properties.put("jdbc.password", config.jdbcPassword());
        properties.put("jdbc.schema-version", "V1");
        properties.put(CatalogProperties.WAREHOUSE_LOCATION, warehouse());
        properties.put(CatalogProperties.FILE_IO_IMPL, S3FileIO.class.getName());
        created.initialize(config.catalogName(), properties);
        catalog = created;
        config.schemas().forEach(schema -> ensureNamespace(Namespace.of(schema)));
        return created;
    }

    private String warehouse() {
        return "s3://" + s3.lakehouseBucket() + "/";
    }

    private Map<String, String> s3Properties() {
        return Map.of("s3.endpoint", s3.endpoint(), "s3.path-style-access", "true",
                "s3.access-key-id", s3.accessKey(), "s3.secret-access-key", s3.secretKey(),
                "client.region", s3.region());
    }

    void close(@Observes ShutdownEvent shutdown) throws IOException {
        if (catalog != null) {
            catalog.close();
        }
        if (io != null) {
            io.close();
        }
    }
}
