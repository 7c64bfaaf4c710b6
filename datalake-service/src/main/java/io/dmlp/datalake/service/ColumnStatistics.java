package io.dmlp.datalake.service;

import io.dmlp.datalake.config.DatalakeConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Types;

/**
 * Statistics of one column of an Iceberg table, reading as little as it can: count, min and max come from the
 * manifests' column metrics when those are exact (no delete files, metrics present in every data file); mean,
 * standard deviation, median and distinct counts come from a scan that reads only that column, in bounded memory:
 * straight from the Parquet column chunks where it can ({@link ParquetColumnScan}), otherwise through Iceberg's
 * generic reader. Blocking.
 */
public final class ColumnStatistics {

    /** Numeric statistics; {@code approximate} when the median comes from a sample. */
    public record Numeric(long count, Double mean, Double stdDev, Double min, Double max, Double median,
            boolean approximate) {
    }

    /** Distinct non-null values; {@code approximate} when a sketch counted them. */
    public record Distinct(long distinctCount, boolean approximate) {
    }

    private final DatalakeConfig limits;

    public ColumnStatistics(DatalakeConfig limits) {
        this.limits = limits;
    }

    public Numeric numeric(Table table, Types.NestedField column) {
        List<FileScanTask> tasks = tasks(table, column);
        Metrics metrics = metrics(tasks, column);
        boolean keepAll = metrics != null && metrics.count <= limits.exactMedianValues();
        ParquetColumnScan scan = ParquetColumnScan.plan(table, column, tasks);
        Moments moments = new Moments(new Values(keepAll, limits));
        if (scan == null || !scan.doubles(moments::add)) {
            moments = new Moments(new Values(keepAll, limits));
            Moments generic = moments;
            readAll(table, column, value -> generic.add(((Number) value).doubleValue()));
        }
        if (moments.count == 0) {
            return new Numeric(0, null, null, null, null, null, false);
        }
        boolean fromMetrics = metrics != null; // exact without a scan: what Iceberg's manifests hold
        return new Numeric(moments.count, moments.mean,
                moments.count > 1 ? Math.sqrt(moments.squares / (moments.count - 1)) : null,
                fromMetrics ? metrics.min : moments.min, fromMetrics ? metrics.max : moments.max,
                moments.values.median(), !moments.values.exact());
    }

    public Distinct distinct(Table table, Types.NestedField column) {
        ParquetColumnScan scan = ParquetColumnScan.plan(table, column, tasks(table, column));
        DistinctValues distinct = new DistinctValues(limits.exactDistinctValues());
        if (scan == null || !scan.distinctValues(distinct::add)) {
            distinct = new DistinctValues(limits.exactDistinctValues());
            readAll(table, column, distinct::add);
        }
        return distinct.result();
    }

    /** Every non-null value of the column through Iceberg's generic reader (any type, deletes applied). */
    private static void readAll(Table table, Types.NestedField column, java.util.function.Consumer<Object> values) {
        try (CloseableIterable<Record> rows = IcebergGenerics.read(table).select(column.name()).build()) {
            for (Record row : rows) {
                Object value = row.getField(column.name());
                if (value != null) {
                    values.accept(value); // hashed or added at once: a reused buffer is never kept
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Count, mean and squared deviations (Welford: stable in one pass), min, max; NaN is not a value. */
    private static final class Moments {
        final Values values;
        long count;
        double mean;
        double squares;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;

        Moments(Values values) {
            this.values = values;
        }

        void add(double x) {
            if (Double.isNaN(x)) {
                return;
            }
            count++;
            double delta = x - mean;
            mean += delta / count;
            squares += delta * (x - mean);
            min = Math.min(min, x);
            max = Math.max(max, x);
            values.add(x);
        }
    }

    /**
     * Distinct values counted by their 64-bit hashes ({@link HyperLogLog#hash64}) in a primitive set up to the
     * limit, then in a HyperLogLog sketch. Holding 8-byte hashes instead of the values bounds the memory whatever
     * the values' size; two distinct values sharing a hash (odds about n²/2⁶⁵, below 10⁻⁸ at 500,000) would be
     * counted once.
     */
    private static final class DistinctValues {
        private final int limit;
        private LongHashSet exact = new LongHashSet();
        private HyperLogLog sketch;

        DistinctValues(int limit) {
            this.limit = limit;
        }

        void add(Object value) {
            long hash = HyperLogLog.hash64(value);
            if (sketch != null) {
                sketch.addHash(hash);
            } else if (exact.add(hash) && exact.size() > limit) {
                sketch = new HyperLogLog();
                exact.forEach(sketch::addHash);
                exact = null;
            }
        }

        Distinct result() {
            return sketch == null ? new Distinct(exact.size(), false) : new Distinct(sketch.estimate(), true);
        }
    }

    /** Count, min and max of a numeric column from the manifests, or null when they are not exact. */
    private record Metrics(long count, double min, double max) {
    }

    /** The table's current data files with their column metrics: planned once, read from the manifests. */
    private static List<FileScanTask> tasks(Table table, Types.NestedField column) {
        try (CloseableIterable<FileScanTask> tasks = table.newScan().select(column.name()).includeColumnStats()
                .planFiles()) {
            List<FileScanTask> planned = new ArrayList<>();
            tasks.forEach(planned::add);
            return planned;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Metrics metrics(List<FileScanTask> tasks, Types.NestedField column) {
        int id = column.fieldId();
        long count = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (FileScanTask task : tasks) {
            DataFile file = task.file();
            if (!task.deletes().isEmpty() || !has(file.valueCounts(), id) || !has(file.nullValueCounts(), id)) {
                return null;
            }
            long nonNull = file.valueCounts().get(id) - file.nullValueCounts().get(id)
                    - (file.nanValueCounts() == null ? 0 : file.nanValueCounts().getOrDefault(id, 0L));
            count += nonNull;
            if (nonNull > 0) {
                if (!has(file.lowerBounds(), id) || !has(file.upperBounds(), id)) {
                    return null;
                }
                min = Math.min(min, number(column, file.lowerBounds().get(id)));
                max = Math.max(max, number(column, file.upperBounds().get(id)));
            }
        }
        return new Metrics(count, min, max);
    }

    private static boolean has(Map<Integer, ?> metrics, int id) {
        return metrics != null && metrics.containsKey(id);
    }

    private static double number(Types.NestedField column, ByteBuffer bound) {
        return ((Number) Conversions.fromByteBuffer(column.type(), bound)).doubleValue();
    }

    /** The values for the median: all of them up to the limit, else a uniform reservoir sample. */
    private static final class Values {
        private final boolean keepAll;
        private final int limit;
        private final int sampleSize;
        private final SplittableRandom random = new SplittableRandom(42);
        private double[] values = new double[1024];
        private int size;
        private long seen;
        private boolean sampled;

        Values(boolean keepAll, DatalakeConfig limits) {
            this.keepAll = keepAll;
            this.limit = limits.exactMedianValues();
            this.sampleSize = limits.sampleSize();
        }

        void add(double x) {
            seen++;
            int capacity = keepAll || !sampled && seen <= limit ? limit : sampleSize;
            if (!keepAll && !sampled && seen > limit) {
                shrinkToSample();
                capacity = sampleSize;
            }
            if (size < capacity) {
                if (size == values.length) {
                    values = Arrays.copyOf(values, (int) Math.min((long) values.length * 2, capacity));
                }
                values[size++] = x;
            } else {
                long slot = random.nextLong(seen);
                if (slot < size) {
                    values[(int) slot] = x;
                }
            }
        }

        /** Past the limit: keep a uniform sample of what was seen so far, then sample on. */
        private void shrinkToSample() {
            int keep = Math.min(sampleSize, size);
            for (int i = 0; i < keep; i++) { // partial Fisher–Yates: the first `keep` are a uniform pick
                int j = i + random.nextInt(size - i);
                double swap = values[i];
                values[i] = values[j];
                values[j] = swap;
            }
            values = Arrays.copyOf(values, keep);
            size = keep;
            sampled = true;
        }

        boolean exact() {
            return !sampled;
        }

        Double median() {
            if (size == 0) {
                return null;
            }
            double[] sorted = Arrays.copyOf(values, size);
            Arrays.sort(sorted);
            return size % 2 == 1 ? sorted[size / 2] : (sorted[size / 2 - 1] + sorted[size / 2]) / 2;
        }
    }
}
