package io.dmlp.lakehouse;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;

/** The Iceberg catalog: a JDBC catalog in PostgreSQL, data files on S3 (the endpoint and keys of dmlp.s3). */
@ConfigMapping(prefix = "dmlp.lakehouse")
public interface LakehouseConfig {

    /** JDBC URL of the catalog database; the local default is the local stack's dmlp_lakehouse. */
    @WithDefault("jdbc:postgresql://127.0.0.1:55432/dmlp_lakehouse")
    String jdbcUrl();

    @WithDefault("dmlp")
    String jdbcUser();

    /** The local default is refused in production; never logged. */
    @WithDefault("dmlp")
    String jdbcPassword();

    /** The catalog's name, as Iceberg records it in its tables (pyiceberg's SqlCatalog reads the same rows). */
    @WithDefault("dmlp")
    String catalogName();

    /** The schemas (Iceberg namespaces) that exist from the first start. */
    @WithDefault("bronze,silver,gold,default")
    List<String> schemas();

    /**
     * Parquet row-group size. Each open writer buffers one row group in memory, so this bounds what an upload
     * holds on the heap.
     */
    @WithDefault("16777216")
    long rowGroupBytes();

    /**
     * Threads encoding one upload's rows as Parquet, each into data files of its own. Encoding costs more CPU than
     * parsing and validating, so on two cores two encoders keep the reading thread busy.
     */
    @WithDefault("2")
    int writerThreads();

    /** A data file is closed and the next one started past this many bytes. */
    @WithDefault("268435456")
    long targetFileBytes();
}
