package io.dmlp.dataset.service;

import io.dmlp.common.schema.DataType;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * Reads a cell straight from its bytes into a {@link RowBatch} when it has the plain form almost every value has
 * ({@code -123}, {@code 4.56}, {@code true}, {@code 2025-09-18}, {@code 2025-09-18T10:00:00}, text): no
 * {@code String}, no boxing. Anything else is {@link #DECLINED} and goes to {@link DataType#parse}, the one
 * definition of a valid value; a plain form is only accepted where it gives exactly the value that parse gives.
 */
final class Cells {

    /** The value was stored. */
    static final int STORED = 0;
    /** The cell is empty (or only ASCII white space): it takes the column's default. */
    static final int BLANK = 1;
    /** Not a plain form: decide with {@link DataType#parse}. */
    static final int DECLINED = 2;

    /** Doubles hold every integer below 2^53 and every power of ten up to 10^22 exactly. */
    private static final int MAX_FLOAT_DIGITS = 15;
    private static final double[] POWERS_OF_TEN = new double[23];
    private static final long MICROS_PER_DAY = 86_400_000_000L;
    private static final LocalDateTime EPOCH = LocalDateTime.of(1970, 1, 1, 0, 0);
    private static final long DAYS_0000_TO_1970 = 719_528;

    static {
        double power = 1;
        for (int i = 0; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = power;
            power *= 10;
        }
    }

    private Cells() {
    }

    /** Reads {@code b[from, to)} as column {@code c}'s value of row {@code row}. */
    static int read(byte[] b, int from, int to, RowBatch batch, int c, int row) {
        if (from == to) {
            return BLANK;
        }
        return switch (batch.types[c]) {
            case STRING -> string(b, from, to, batch, c);
            case INTEGER -> integer(b, from, to, batch.longs[c], batch.nulls[c], row);
            case FLOAT -> decimal(b, from, to, batch.doubles[c], batch.nulls[c], row);
            case BOOLEAN -> bool(b, from, to, batch.booleans[c], batch.nulls[c], row);
            case DATE -> date(b, from, to, batch.ints[c], batch.nulls[c], row);
            case DATETIME -> dateTime(b, from, to, batch.longs[c], batch.nulls[c], row);
        };
    }

    /** Stores a value as {@link DataType#parse} returns it (null: no value). */
    static void store(RowBatch batch, int c, int row, Object value) {
        if (value == null) {
            batch.nulls[c][row] = true;
            return;
        }
        batch.nulls[c][row] = false;
        switch (batch.types[c]) {
            case STRING -> {
                byte[] utf8 = ((String) value).getBytes(StandardCharsets.UTF_8);
                batch.string(c, utf8, 0, utf8.length);
            }
            case INTEGER -> batch.longs[c][row] = (Long) value;
            case FLOAT -> batch.doubles[c][row] = (Double) value;
            case BOOLEAN -> batch.booleans[c][row] = (Boolean) value;
            case DATE -> batch.ints[c][row] = Math.toIntExact(((LocalDate) value).toEpochDay());
            case DATETIME -> batch.longs[c][row] = ChronoUnit.MICROS.between(EPOCH, value instanceof OffsetDateTime
                    offset ? LocalDateTime.ofInstant(offset.toInstant(), ZoneOffset.UTC) : (LocalDateTime) value);
        }
    }

    private static int string(byte[] b, int from, int to, RowBatch batch, int c) {
        int first = b[from];
        if (first <= ' ' || first >= 0x7f) { // may be blank: white space only
            boolean asciiOnly = true;
            boolean blank = true;
            for (int i = from; i < to && blank; i++) {
                int x = b[i];
                if (x < 0) {
                    asciiOnly = false;
                } else if (!isAsciiWhitespace(x)) {
                    blank = false;
                }
            }
            if (blank) {
                return asciiOnly ? BLANK : DECLINED; // other white space: String.isBlank decides
            }
        }
        batch.string(c, b, from, to - from);
        return STORED;
    }

    /** As {@link Character#isWhitespace} for ASCII. */
    private static boolean isAsciiWhitespace(int x) {
        return x == ' ' || x >= 0x09 && x <= 0x0d || x >= 0x1c && x <= 0x1f;
    }

    /** {@code [+-]?[0-9]{1,18}}. */
    private static int integer(byte[] b, int from, int to, long[] out, boolean[] nulls, int row) {
        int i = from;
        boolean negative = b[i] == '-';
        if (negative || b[i] == '+') {
            i++;
        }
        int digits = to - i;
        if (digits < 1 || digits > 18) {
            return DECLINED;
        }
        long value = 0;
        for (; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return DECLINED;
            }
            value = value * 10 + d;
        }
        out[row] = negative ? -value : value;
        nulls[row] = false;
        return STORED;
    }

    /**
     * {@code [+-]?[0-9]*(.[0-9]*)?} with 1 to 15 digits: the digits as a long divided by a power of ten, both
     * exact as doubles, is the correctly rounded value, which is what {@link Double#parseDouble} returns.
     */
    private static int decimal(byte[] b, int from, int to, double[] out, boolean[] nulls, int row) {
        int i = from;
        boolean negative = b[i] == '-';
        if (negative || b[i] == '+') {
            i++;
        }
        long mantissa = 0;
        int digits = 0;
        int fraction = -1;
        for (; i < to; i++) {
            int x = b[i];
            if (x == '.' && fraction < 0) {
                fraction = 0;
                continue;
            }
            int d = x - '0';
            if (d < 0 || d > 9 || ++digits > MAX_FLOAT_DIGITS) {
                return DECLINED;
            }
            mantissa = mantissa * 10 + d;
            if (fraction >= 0) {
                fraction++;
            }
        }
        if (digits == 0) {
            return DECLINED;
        }
        double value = fraction > 0 ? mantissa / POWERS_OF_TEN[fraction] : mantissa;
        out[row] = negative ? -value : value;
        nulls[row] = false;
        return STORED;
    }

    /** {@code true} or {@code false} in any case. */
    private static int bool(byte[] b, int from, int to, boolean[] out, boolean[] nulls, int row) {
        int n = to - from;
        if (n == 4 && (b[from] | 0x20) == 't' && (b[from + 1] | 0x20) == 'r' && (b[from + 2] | 0x20) == 'u'
                && (b[from + 3] | 0x20) == 'e') {
            out[row] = true;
        } else if (n == 5 && (b[from] | 0x20) == 'f' && (b[from + 1] | 0x20) == 'a' && (b[from + 2] | 0x20) == 'l'
                && (b[from + 3] | 0x20) == 's' && (b[from + 4] | 0x20) == 'e') {
            out[row] = false;
        } else {
            return DECLINED;
        }
        nulls[row] = false;
        return STORED;
    }

    /** {@code yyyy-MM-dd}, a day that exists. */
    private static int date(byte[] b, int from, int to, int[] out, boolean[] nulls, int row) {
        if (to - from != 10) {
            return DECLINED;
        }
        long day = epochDay(b, from);
        if (day == Long.MIN_VALUE) {
            return DECLINED;
        }
        out[row] = (int) day;
        nulls[row] = false;
        return STORED;
    }

    /** {@code yyyy-MM-ddTHH:mm:ss}, a time that exists (no offset, no fraction). */
    private static int dateTime(byte[] b, int from, int to, long[] out, boolean[] nulls, int row) {
        if (to - from != 19 || b[from + 10] != 'T' || b[from + 13] != ':' || b[from + 16] != ':') {
            return DECLINED;
        }
        long day = epochDay(b, from);
        int hour = twoDigits(b, from + 11);
        int minute = twoDigits(b, from + 14);
        int second = twoDigits(b, from + 17);
        if (day == Long.MIN_VALUE || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0
                || second > 59) {
            return DECLINED;
        }
        out[row] = day * MICROS_PER_DAY + (hour * 3600L + minute * 60L + second) * 1_000_000L;
        nulls[row] = false;
        return STORED;
    }

    /** Days since 1970-01-01 of {@code yyyy-MM-dd} at {@code at}, or {@link Long#MIN_VALUE} when it is no date. */
    private static long epochDay(byte[] b, int at) {
        int hi = twoDigits(b, at);
        int lo = twoDigits(b, at + 2);
        int month = twoDigits(b, at + 5);
        int day = twoDigits(b, at + 8);
        if (hi < 0 || lo < 0 || b[at + 4] != '-' || b[at + 7] != '-' || month < 1 || month > 12 || day < 1) {
            return Long.MIN_VALUE;
        }
        int year = hi * 100 + lo;
        int slot = (year - FIRST_TABLED_YEAR) * 12 + month - 1;
        if (slot >= 0 && slot < MONTH_START.length) { // no division on the common path
            return day > MONTH_LENGTH[slot] ? Long.MIN_VALUE : MONTH_START[slot] + day - 1;
        }
        int length = monthLength(year, month);
        return day > length ? Long.MIN_VALUE : monthStart(year, month) + day - 1;
    }

    private static final int FIRST_TABLED_YEAR = 1900;
    private static final int TABLED_YEARS = 300;
    /** Epoch day of the first of each month, and its length, for {@value #FIRST_TABLED_YEAR} to 2199. */
    private static final int[] MONTH_START = new int[TABLED_YEARS * 12];
    private static final byte[] MONTH_LENGTH = new byte[TABLED_YEARS * 12];

    static {
        for (int i = 0; i < MONTH_START.length; i++) {
            int year = FIRST_TABLED_YEAR + i / 12;
            int month = i % 12 + 1;
            MONTH_START[i] = (int) monthStart(year, month);
            MONTH_LENGTH[i] = (byte) monthLength(year, month);
        }
    }

    private static int monthLength(int year, int month) {
        boolean leap = (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
        return month == 2 ? (leap ? 29 : 28) : month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
    }

    /** As {@code LocalDate.of(year, month, 1).toEpochDay()} for years 0 to 9999, without an object. */
    private static long monthStart(int year, int month) {
        boolean leap = (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
        long days = 365L * year + (year + 3) / 4 - (year + 99) / 100 + (year + 399) / 400 + (367 * month - 362) / 12;
        if (month > 2) {
            days -= leap ? 1 : 2;
        }
        return days - DAYS_0000_TO_1970;
    }

    private static int twoDigits(byte[] b, int at) {
        int tens = b[at] - '0';
        int ones = b[at + 1] - '0';
        return tens < 0 || tens > 9 || ones < 0 || ones > 9 ? -1 : tens * 10 + ones;
    }
}
