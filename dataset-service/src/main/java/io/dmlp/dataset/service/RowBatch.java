package io.dmlp.dataset.service;

import io.dmlp.common.schema.DataType;
import java.util.Arrays;
import java.util.List;

/**
 * Valid rows of an upload in columns of primitives, as the Parquet encoder writes them: no object per cell.
 * Integers and date-times (microseconds since the epoch, UTC) are longs, floats doubles, dates days since the
 * epoch, strings UTF-8 bytes in one shared array. The validator fills the row at {@link #size()} and either ends
 * it ({@link #endRow()}) or drops it ({@link #dropRow()}); batches are reused, so their memory is allocated once.
 */
final class RowBatch {

    private static final int INITIAL_BYTES = 1 << 16;
    /** A batch whose strings needed more room than this gives it back when cleared. */
    private static final int MAX_KEPT_BYTES = 4 << 20;

    final DataType[] types;
    final int capacity;
    final long[][] longs;
    final double[][] doubles;
    final int[][] ints;
    final boolean[][] booleans;
    /** Per string column, start and length of each value in {@link #bytes}. */
    final int[][] offsets;
    final int[][] lengths;
    final boolean[][] nulls;
    byte[] bytes = new byte[INITIAL_BYTES];
    int used;
    private int rowStartUsed;
    private int size;

    RowBatch(List<DataType> columnTypes, int capacity) {
        this.types = columnTypes.toArray(DataType[]::new);
        this.capacity = capacity;
        int n = types.length;
        longs = new long[n][];
        doubles = new double[n][];
        ints = new int[n][];
        booleans = new boolean[n][];
        offsets = new int[n][];
        lengths = new int[n][];
        nulls = new boolean[n][capacity];
        for (int c = 0; c < n; c++) {
            switch (types[c]) {
                case INTEGER, DATETIME -> longs[c] = new long[capacity];
                case FLOAT -> doubles[c] = new double[capacity];
                case DATE -> ints[c] = new int[capacity];
                case BOOLEAN -> booleans[c] = new boolean[capacity];
                case STRING -> {
                    offsets[c] = new int[capacity];
                    lengths[c] = new int[capacity];
                }
            }
        }
    }

    /** Rows ended so far. */
    int size() {
        return size;
    }

    boolean full() {
        return size == capacity;
    }

    /** Appends {@code length} bytes of {@code source} from {@code from} as column {@code c}'s value of the row. */
    void string(int c, byte[] source, int from, int length) {
        int at = reserve(length);
        System.arraycopy(source, from, bytes, at, length);
        stringWritten(c, at, length);
    }

    /** Room for {@code length} more string bytes; returns where they go in {@link #bytes}. */
    int reserve(int length) {
        if (used + length > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, used + length));
        }
        return used;
    }

    /** Records that column {@code c}'s value of the row is the {@code length} bytes reserved at {@code at}. */
    void stringWritten(int c, int at, int length) {
        offsets[c][size] = at;
        lengths[c][size] = length;
        nulls[c][size] = false;
        used = at + length;
    }

    void endRow() {
        size++;
        rowStartUsed = used;
    }

    /** Forgets what was written for the current row (an invalid row). */
    void dropRow() {
        used = rowStartUsed;
    }

    /** Empties the batch for reuse; string room grown for a few huge cells is given back. */
    void clear() {
        size = 0;
        used = 0;
        rowStartUsed = 0;
        if (bytes.length > MAX_KEPT_BYTES) {
            bytes = new byte[INITIAL_BYTES];
        }
    }
}
