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

    /**
     * The codec of silver data files: {@code snappy}, {@code zstd} (with {@link #parquetCompressionLevel()}),
     * {@code lz4_raw}, {@code gzip} or {@code uncompressed}.
     */
    @WithDefault("snappy")
    String parquetCodec();

    /** The level of codecs that have one (zstd: 1 fastest, 3 the library's default). */
    @WithDefault("1")
    int parquetCompressionLevel();

    /**
     * The largest dictionary a column chunk of a silver data file keeps. Parquet dictionary-encodes each column
     * until its dictionary outgrows this, then writes plain values: repetitive columns (categories, dates, flags)
     * stay small and fast to scan by dictionary id, while a column of mostly unique values gives up early instead of
     * hashing every value into a dictionary it throws away (Parquet's own default, 2 MB, kept that up for a whole
     * row group). 0 turns dictionaries off.
     */
    @WithDefault("65536")
    int parquetDictionaryBytes();

    /** A data file is closed and the next one started past this many bytes. */
    @WithDefault("268435456")
    long targetFileBytes();
}
