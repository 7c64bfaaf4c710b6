package io.dmlp.datalake.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.dmlp.datalake.config.DatalakeConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Distinct counts read from dictionary ids agree with counts from plain values: the same rows written with
 * Parquet's dictionary encoding, without it, and falling back from it to plain pages within a column chunk.
 */
class ParquetColumnScanTest {

    static final int ROWS = 60_000;
    static final Schema SCHEMA = new Schema(
            Types.NestedField.optional(1, "category", Types.StringType.get()),
            Types.NestedField.optional(2, "code", Types.LongType.get()),
            Types.NestedField.optional(3, "day", Types.DateType.get()));
    /** Distinct non-null values written per column (all in the later half of the rows). */
    static final Map<String, Long> DISTINCT = Map.of("category", 400L, "code", 500L, "day", 365L);

    static InMemoryCatalog catalog;

    /** Pages of 1,000 rows: a column chunk has many, and a dictionary can fill up between two. */
    static final Map<String, String> SMALL_PAGES = Map.of(TableProperties.PARQUET_PAGE_ROW_LIMIT, "1000");

    @BeforeAll
    static void catalog() {
        catalog = new InMemoryCatalog();
        catalog.initialize("scan-test", Map.of());
        catalog.createNamespace(Namespace.of("silver"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"category", "code", "day"})
    void dictionaryIdsCountWhatPlainValuesCount(String column) {
        Table dictionary = table(Map.of());
        Table plain = table(Map.of("parquet.enable.dictionary", "false"));
        // A dictionary limit the later values outgrow: the chunk starts dictionary-encoded, then falls back to plain.
        Table mixed = table(Map.of(TableProperties.PARQUET_DICT_SIZE_BYTES, "1024"));

        assertThat(encodings(dictionary, column)).isEqualTo(new Encodings(true, false));
        assertThat(encodings(plain, column)).isEqualTo(new Encodings(false, true));
        assertThat(encodings(mixed, column)).isEqualTo(new Encodings(true, true));

        long expected = DISTINCT.get(column);
        assertThat(distinct(dictionary, column)).isEqualTo(expected);
        assertThat(distinct(plain, column)).isEqualTo(expected);
        assertThat(distinct(mixed, column)).isEqualTo(expected);
    }

    private static long distinct(Table table, String column) {
        ColumnStatistics.Distinct distinct = new ColumnStatistics(limits())
                .distinct(table, table.schema().findField(column));
        assertThat(distinct.approximate()).isFalse();
        return distinct.distinctCount();
    }

    /**
     * One data file of ROWS rows: in the first half 50 values per column, in the second category
     * {@code cat-<i % 400>}, code {@code i % 500}, day {@code 2025-01-01 + i % 365}; every 7th row null.
     */
    private static Table table(Map<String, String> writeProperties) {
        Table table = catalog.buildTable(TableIdentifier.of("silver", "t" + UUID.randomUUID().toString()
                .replace("-", "")), SCHEMA).create();
        String path = table.location() + "/data/" + UUID.randomUUID() + ".parquet";
        try {
            DataWriter<Record> writer = Parquet.writeData(table.io().newOutputFile(path)).schema(SCHEMA)
                    .setAll(SMALL_PAGES).setAll(writeProperties)
                    .createWriterFunc(GenericParquetWriter::create).withSpec(PartitionSpec.unpartitioned()).build();
            GenericRecord record = GenericRecord.create(SCHEMA);
            for (int i = 0; i < ROWS; i++) {
                boolean isNull = i % 7 == 3;
                boolean early = i < ROWS / 2;
                record.set(0, isNull ? null : String.format("cat-%04d", early ? i % 50 : i % 400));
                record.set(1, isNull ? null : (long) (early ? i % 50 : i % 500));
                record.set(2, isNull ? null : LocalDate.of(2025, 1, 1).plusDays(early ? i % 50 : i % 365));
                writer.write(record);
            }
            writer.close();
            DataFile file = writer.toDataFile();
            table.newAppend().appendFile(file).commit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return table;
    }

    private static org.apache.parquet.hadoop.metadata.ParquetMetadata footer(Table table) {
        String location = table.currentSnapshot().addedDataFiles(table.io()).iterator().next().location();
        try (ParquetFileReader reader = ParquetFileReader.open(
                ParquetColumnScan.parquet(table.io().newInputFile(location)))) {
            return reader.getFooter();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether any page of the column, in any row group, is dictionary-encoded, and whether any is not. */
    private record Encodings(boolean dictionary, boolean plain) {
    }

    private static Encodings encodings(Table table, String column) {
        boolean dictionary = false;
        boolean plain = false;
        for (BlockMetaData rowGroup : footer(table).getBlocks()) {
            for (ColumnChunkMetaData chunk : rowGroup.getColumns()) {
                if (chunk.getPath().toDotString().equals(column)) {
                    dictionary |= chunk.getEncodingStats().hasDictionaryEncodedPages();
                    plain |= chunk.getEncodingStats().hasNonDictionaryEncodedPages();
                }
            }
        }
        return new Encodings(dictionary, plain);
    }

    private static DatalakeConfig limits() {
        return TestLimits.of(1000, 100, 100_000);
    }
}
