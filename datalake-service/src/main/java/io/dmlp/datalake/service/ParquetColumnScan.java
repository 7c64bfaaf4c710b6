package io.dmlp.datalake.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.DoubleConsumer;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.bytes.ByteBufferInputStream;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ValuesType;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.column.values.ValuesReader;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type.ID;

/**
 * Reads one top-level primitive column straight from the Parquet column chunks of a table's current data files:
 * only that column's pages are fetched and decoded, page by page, values arrive unboxed where they can, no row
 * objects are built, and for distinct values a dictionary-encoded page is read as its dictionary ids. It applies only to plain Parquet tables without row-level deletes whose files all hold the column (by
 * field id) with a physical type that maps one-to-one; {@link #plan} says when it does not, and the caller then
 * reads through Iceberg's generic reader instead.
 */
final class ParquetColumnScan {

    private final Table table;
    private final Types.NestedField column;
    private final List<String> files;

    private ParquetColumnScan(Table table, Types.NestedField column, List<String> files) {
        this.table = table;
        this.column = column;
        this.files = files;
    }

    /** A scan of {@code column} over the table's planned files, or null when this reader cannot serve it exactly. */
    static ParquetColumnScan plan(Table table, Types.NestedField column, List<FileScanTask> tasks) {
        if (!fastType(column.type())) {
            return null;
        }
        List<String> files = new ArrayList<>();
        for (FileScanTask task : tasks) {
            if (!task.deletes().isEmpty() || task.file().format() != FileFormat.PARQUET) {
                return null;
            }
            files.add(task.file().location());
        }
        return new ParquetColumnScan(table, column, files);
    }

    private static boolean fastType(Type type) {
        return switch (type.typeId()) {
            case INTEGER, LONG, FLOAT, DOUBLE, STRING, BOOLEAN, DATE -> true;
            default -> false;
        };
    }

    /**
     * Every non-null value as a double (numeric columns). False when a file turns out not to fit: the caller
     * discards what it received and reads another way.
     */
    boolean doubles(DoubleConsumer values) {
        return read(page -> {
            ValuesReader reader = page.values();
            Dictionary dictionary = page.dictionary();
            for (int i = 0; i < page.count(); i++) {
                if (dictionary == null) {
                    values.accept(switch (page.type()) {
                        case INT32 -> reader.readInteger();
                        case INT64 -> reader.readLong();
                        case FLOAT -> reader.readFloat();
                        case DOUBLE -> reader.readDouble();
                        default -> throw new IllegalStateException("not numeric");
                    });
                } else {
                    int id = reader.readValueDictionaryId();
                    values.accept(switch (page.type()) {
                        case INT32 -> dictionary.decodeToInt(id);
                        case INT64 -> dictionary.decodeToLong(id);
                        case FLOAT -> dictionary.decodeToFloat(id);
                        case DOUBLE -> dictionary.decodeToDouble(id);
                        default -> throw new IllegalStateException("not numeric");
                    });
                }
            }
        }, () -> {
        });
    }

    /**
     * Each distinct non-null value at least once (possibly more often), in a form that is equal exactly when the
     * values are (strings as their UTF-8 bytes, dates as day numbers). The values of a dictionary-encoded page are
     * not decoded one by one: the dictionary ids it uses are marked, and each marked id is decoded once at the
     * end of its row group (a column chunk has its own dictionary). A plain page hands on every value. False, as
     * for {@link #doubles}, when a file does not fit.
     */
    boolean distinctValues(Consumer<Object> values) {
        DistinctIds ids = new DistinctIds(values);
        return read(ids, ids::endRowGroup);
    }

    /** Marks the dictionary ids of a row group's dictionary-encoded pages, hands on plain pages' values. */
    private static final class DistinctIds implements Consumer<Page> {
        private final Consumer<Object> values;
        private final BitSet used = new BitSet();
        private Page withDictionary;

        DistinctIds(Consumer<Object> values) {
            this.values = values;
        }

        @Override
        public void accept(Page page) {
            ValuesReader reader = page.values();
            if (page.dictionary() != null) {
                withDictionary = page;
                for (int i = 0; i < page.count(); i++) {
                    used.set(reader.readValueDictionaryId());
                }
                return;
            }
            for (int i = 0; i < page.count(); i++) {
                values.accept(switch (page.type()) {
                    case INT32 -> reader.readInteger();
                    case INT64 -> reader.readLong();
                    case FLOAT -> reader.readFloat();
                    case DOUBLE -> reader.readDouble();
                    case BOOLEAN -> reader.readBoolean();
                    case BINARY -> reader.readBytes().copy(); // the page's buffer is not kept: copy what goes on
                    default -> throw new IllegalStateException("unexpected physical type " + page.type());
                });
            }
        }

        void endRowGroup() {
            for (int id = used.nextSetBit(0); id >= 0; id = used.nextSetBit(id + 1)) {
                Dictionary dictionary = withDictionary.dictionary();
                values.accept(switch (withDictionary.type()) {
                    case INT32 -> dictionary.decodeToInt(id);
                    case INT64 -> dictionary.decodeToLong(id);
                    case FLOAT -> dictionary.decodeToFloat(id);
                    case DOUBLE -> dictionary.decodeToDouble(id);
                    case BINARY -> dictionary.decodeToBinary(id).copy();
                    default -> throw new IllegalStateException("unexpected dictionary of " + withDictionary.type());
                });
            }
            used.clear();
            withDictionary = null;
        }
    }

    /**
     * The non-null values of one data page: {@code count} of them to read from {@code values}, as dictionary ids
     * into {@code dictionary} when it is not null, else as values of the physical {@code type}.
     */
    private record Page(ValuesReader values, int count, Dictionary dictionary, PrimitiveTypeName type) {
    }

    /**
     * Reads the column file by file, row group by row group, page by page, without Parquet's record-level reader:
     * statistics need neither the values' order nor their rows, so a page's definition levels are only counted
     * and its non-null values then read in one loop. {@code endRowGroup} runs after each row group's pages.
     */
    private boolean read(Consumer<Page> onPage, Runnable endRowGroup) {
        for (String location : files) {
            try (ParquetFileReader file = ParquetFileReader.open(parquet(table.io().newInputFile(location)))) {
                MessageType schema = file.getFooter().getFileMetaData().getSchema();
                org.apache.parquet.schema.Type field = byId(schema, column.fieldId());
                if (field == null || !field.isPrimitive() || field.isRepetition(
                        org.apache.parquet.schema.Type.Repetition.REPEATED)) {
                    return false; // e.g. written before the column existed: the generic reader knows what to do
                }
                MessageType projection = new MessageType(schema.getName(), field);
                file.setRequestedSchema(projection);
                ColumnDescriptor descriptor = projection.getColumns().get(0);
                PageReadStore rowGroup;
                while ((rowGroup = file.readNextRowGroup()) != null) {
                    PageReader pages = rowGroup.getPageReader(descriptor);
                    DictionaryPage dictionaryPage = pages.readDictionaryPage();
                    Dictionary dictionary = dictionaryPage == null ? null
                            : dictionaryPage.getEncoding().initDictionary(descriptor, dictionaryPage);
                    DataPage page;
                    while ((page = pages.readPage()) != null) {
                        onPage.accept(page(page, descriptor, dictionary));
                    }
                    endRowGroup.run();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return true;
    }

    private static Page page(DataPage page, ColumnDescriptor column, Dictionary dictionary) throws IOException {
        ByteBufferInputStream data;
        int nonNull;
        Encoding encoding;
        if (page instanceof DataPageV1 v1) {
            data = v1.getBytes().toInputStream(); // repetition levels, definition levels, values
            v1.getRlEncoding().getValuesReader(column, ValuesType.REPETITION_LEVEL)
                    .initFromPage(v1.getValueCount(), data);
            ValuesReader levels = v1.getDlEncoding().getValuesReader(column, ValuesType.DEFINITION_LEVEL);
            levels.initFromPage(v1.getValueCount(), data);
            nonNull = nonNull(levels, v1.getValueCount(), column.getMaxDefinitionLevel());
            encoding = v1.getValueEncoding();
        } else {
            DataPageV2 v2 = (DataPageV2) page; // levels apart, and the count of nulls in the header
            data = v2.getData().toInputStream();
            nonNull = v2.getValueCount() - v2.getNullCount();
            encoding = v2.getDataEncoding();
        }
        boolean ids = encoding.usesDictionary();
        if (ids && dictionary == null) {
            throw new IOException("Dictionary-encoded page without a dictionary in column " + column);
        }
        ValuesReader values = ids ? encoding.getDictionaryBasedValuesReader(column, ValuesType.VALUES, dictionary)
                : encoding.getValuesReader(column, ValuesType.VALUES);
        values.initFromPage(page.getValueCount(), data);
        return new Page(values, nonNull, ids ? dictionary : null, column.getPrimitiveType().getPrimitiveTypeName());
    }

    private static int nonNull(ValuesReader levels, int count, int defined) {
        if (defined == 0) {
            return count; // a required column
        }
        int nonNull = 0;
        for (int i = 0; i < count; i++) {
            if (levels.readInteger() == defined) {
                nonNull++;
            }
        }
        return nonNull;
    }

    private static org.apache.parquet.schema.Type byId(MessageType schema, int fieldId) {
        for (org.apache.parquet.schema.Type field : schema.getFields()) {
            ID id = field.getId();
            if (id != null && id.intValue() == fieldId) {
                return field;
            }
        }
        return null;
    }

    /** Iceberg's file (S3 or local) as Parquet's reader wants it. */
    static InputFile parquet(org.apache.iceberg.io.InputFile in) {
        return new InputFile() {
            @Override
            public long getLength() {
                return in.getLength();
            }

            @Override
            public SeekableInputStream newStream() {
                org.apache.iceberg.io.SeekableInputStream stream = in.newStream();
                return new DelegatingSeekableInputStream(stream) {
                    @Override
                    public long getPos() throws IOException {
                        return stream.getPos();
                    }

                    @Override
                    public void seek(long position) throws IOException {
                        stream.seek(position);
                    }
                };
            }
        };
    }
}
