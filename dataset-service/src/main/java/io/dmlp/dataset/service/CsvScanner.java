package io.dmlp.dataset.service;

import io.dmlp.common.error.UnprocessableEntityException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits CSV bytes into records and fields without decoding them: a field is a range of the buffer, so a cell
 * becomes a {@code String} only when someone asks for one. The dialect is the one the validator has always read:
 * a quote opens a quoted field only as its first character, {@code ""} inside quotes is a quote, characters after
 * the closing quote belong to the field, records end at LF, CR or CRLF (also inside quotes they count as lines),
 * lines without any character are skipped, and a UTF-8 byte order mark at the start is dropped. Every byte read is
 * checked to be UTF-8 (a 422 otherwise), whether or not a column uses it.
 *
 * <p>A record must fit in the buffer, which grows for long records up to {@value #MAX_RECORD_BYTES} bytes (422
 * beyond): memory stays bounded by the longest record, not the file.
 */
final class CsvScanner {

    static final int MAX_RECORD_BYTES = 64 << 20;
    private static final int INITIAL_BUFFER = 1 << 20;
    private static final int NEED_MORE = -1;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final InputStream in;
    private final byte delimiter;
    private byte[] buf = new byte[INITIAL_BUFFER];
    private int pos;
    private int limit;
    /** Bytes below this index are known to be UTF-8 (the rest may end in the first bytes of a sequence). */
    private int checked;
    private boolean eof;
    private boolean started;
    private long line = 1;

    private long recordLine;
    private int fields;
    private int[] starts = new int[32];
    private int[] ends = new int[32];
    /** Quoted fields with an escaped quote or text after the closing quote: their range is the raw field. */
    private boolean[] complex = new boolean[32];

    CsvScanner(InputStream in, char delimiter) {
        this.in = in;
        this.delimiter = (byte) delimiter;
    }

    /** Advances to the next record; false at the end of the input. */
    boolean next() throws IOException {
        if (!started) {
            started = true;
            while (limit < 3 && fill()) {
                // the first three bytes decide whether there is a byte order mark
            }
            if (limit - pos >= 3 && (buf[pos] & 0xff) == 0xEF && (buf[pos + 1] & 0xff) == 0xBB
                    && (buf[pos + 2] & 0xff) == 0xBF) {
                pos += 3;
            }
        }
        while (true) {
            if (pos >= limit) {
                if (eof || !fill() && pos >= limit) {
                    return false;
                }
                continue;
            }
            int start = pos;
            int end = tokenize(start);
            if (end == NEED_MORE) {
                if (eof) {
                    throw new IllegalStateException("tokenizer asked for more input at its end");
                }
                makeRoom();
                fill();
                continue;
            }
            pos = end;
            if (fields == 1 && starts[0] == start && ends[0] == start && !complex[0]) {
                continue; // an empty line (a quoted empty field starts after its quote)
            }
            return true;
        }
    }

    /** Line number (1-based) where the current record starts. */
    long line() {
        return recordLine;
    }

    int fieldCount() {
        return fields;
    }

    byte[] buffer() {
        return buf;
    }

    /** Start of field {@code i} in {@link #buffer()}; valid until the next call of {@link #next()}. */
    int start(int i) {
        return starts[i];
    }

    int end(int i) {
        return ends[i];
    }

    /** Whether field {@code i} needs unquoting ({@link #text} does it); its range is then the raw field. */
    boolean complex(int i) {
        return complex[i];
    }

    /** Field {@code i} as text, unquoted. */
    String text(int i) {
        if (!complex[i]) {
            return new String(buf, starts[i], ends[i] - starts[i], StandardCharsets.UTF_8);
        }
        byte[] out = new byte[ends[i] - starts[i]];
        return new String(out, 0, unquote(i, out, 0), StandardCharsets.UTF_8);
    }

    /** Copies field {@code i}, unquoted, to {@code out} at {@code at}; returns the number of bytes written. */
    int unquote(int i, byte[] out, int at) {
        int p = starts[i] + 1; // after the opening quote
        int end = ends[i];
        int w = at;
        boolean quoted = true;
        while (p < end) {
            byte b = buf[p];
            if (quoted && b == '"') {
                if (p + 1 < end && buf[p + 1] == '"') {
                    out[w++] = '"';
                    p += 2;
                    continue;
                }
                quoted = false;
                p++;
                continue;
            }
            out[w++] = b;
            p++;
        }
        return w - at;
    }

    /**
     * Reads one record starting at {@code p}; returns the position after its line end, or {@link #NEED_MORE} when
     * the buffer ends before the record does (and the input has more).
     */
    private int tokenize(int p) {
        int n = 0;
        long lines = 0;
        byte d = delimiter;
        byte[] b = buf;
        int lim = limit;
        while (true) {
            if (n == starts.length) {
                grow();
            }
            if (p < lim && b[p] == '"') {
                int q = p + 1;
                boolean escaped = false;
                int close = -1;
                while (q < lim) {
                    byte c = b[q];
                    if (c == '"') {
                        if (q + 1 >= lim) {
                            if (!eof) {
                                return NEED_MORE;
                            }
                            close = q++;
                            break;
                        }
                        if (b[q + 1] == '"') {
                            escaped = true;
                            q += 2;
                            continue;
                        }
                        close = q++;
                        break;
                    }
                    if (c == '\n') {
                        lines++;
                    } else if (c == '\r') {
                        if (q + 1 >= lim && !eof) {
                            return NEED_MORE;
                        }
                        if (q + 1 >= lim || b[q + 1] != '\n') {
                            lines++;
                        }
                    }
                    q++;
                }
                if (close < 0) {
                    if (!eof) {
                        return NEED_MORE;
                    }
                    close = lim; // never closed: the rest of the input is the field
                }
                int t = q;
                while (t < lim && b[t] != d && b[t] != '\n' && b[t] != '\r') {
                    t++;
                }
                if (t >= lim && !eof) {
                    return NEED_MORE;
                }
                if (escaped || t > q || close == lim) {
                    starts[n] = p;
                    ends[n] = t;
                    complex[n] = true;
                } else {
                    starts[n] = p + 1;
                    ends[n] = close;
                    complex[n] = false;
                }
                p = t;
            } else {
                int t = p;
                while (t < lim) {
                    byte c = b[t];
                    if (c == d || c == '\n' || c == '\r') {
                        break;
                    }
                    t++;
                }
                if (t >= lim && !eof) {
                    return NEED_MORE;
                }
                starts[n] = p;
                ends[n] = t;
                complex[n] = false;
                p = t;
            }
            n++;
            if (p >= lim) {
                break; // the last record, without a line end
            }
            byte c = b[p];
            if (c == d) {
                p++;
                continue;
            }
            if (c == '\r') {
                if (p + 1 >= lim && !eof) {
                    return NEED_MORE;
                }
                p += p + 1 < lim && b[p + 1] == '\n' ? 2 : 1;
            } else {
                p++;
            }
            lines++;
            break;
        }
        fields = n;
        recordLine = line;
        line += lines;
        return p;
    }

    private void grow() {
        int size = starts.length * 2;
        starts = Arrays.copyOf(starts, size);
        ends = Arrays.copyOf(ends, size);
        complex = Arrays.copyOf(complex, size);
    }

    /** Moves the unread record to the buffer's start, or doubles the buffer when the record fills it. */
    private void makeRoom() {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            checked -= pos;
            pos = 0;
        } else if (limit == buf.length) {
            if (buf.length >= MAX_RECORD_BYTES) {
                throw new UnprocessableEntityException("A record of the file is longer than "
                        + (MAX_RECORD_BYTES >> 20) + " MB.");
            }
            buf = Arrays.copyOf(buf, Math.min(buf.length * 2, MAX_RECORD_BYTES));
        }
    }

    /** Reads more input after {@code limit}; false at the end of the input. */
    private boolean fill() throws IOException {
        if (limit == buf.length) {
            makeRoom();
        }
        int read = in.read(buf, limit, buf.length - limit);
        if (read < 0) {
            eof = true;
            if (checked < limit) {
                throw notUtf8(); // the input ends inside a UTF-8 sequence
            }
            return false;
        }
        limit += read;
        checked = Utf8.check(buf, checked, limit);
        return true;
    }

    static UnprocessableEntityException notUtf8() {
        return new UnprocessableEntityException("The file is not UTF-8 text.");
    }

    /** Strict UTF-8 (as the JDK's decoder with REPORT: no overlong forms, surrogates or code points past U+10FFFF). */
    static final class Utf8 {

        private Utf8() {
        }

        /**
         * Checks {@code b[from, to)}; returns the index up to which it is complete UTF-8 (a sequence cut off by
         * {@code to} is left for the next call), or throws when a byte is not UTF-8.
         */
        static int check(byte[] b, int from, int to) {
            int i = from;
            while (i < to) {
                if (i + 8 <= to && ((long) LONGS.get(b, i) & 0x8080808080808080L) == 0) {
                    i += 8;
                    continue;
                }
                int c = b[i] & 0xff;
                if (c < 0x80) {
                    i++;
                    continue;
                }
                int length;
                int min;
                if (c >= 0xC2 && c <= 0xDF) {
                    length = 2;
                } else if (c >= 0xE0 && c <= 0xEF) {
                    length = 3;
                } else if (c >= 0xF0 && c <= 0xF4) {
                    length = 4;
                } else {
                    throw notUtf8();
                }
                if (i + length > to) {
                    // cut off: the bytes present must still be continuation bytes of a valid start
                    for (int k = i + 1; k < to; k++) {
                        if ((b[k] & 0xC0) != 0x80) {
                            throw notUtf8();
                        }
                    }
                    return i;
                }
                int code = c & (0xFF >> (length + 1));
                for (int k = 1; k < length; k++) {
                    int cont = b[i + k] & 0xff;
                    if ((cont & 0xC0) != 0x80) {
                        throw notUtf8();
                    }
                    code = code << 6 | cont & 0x3F;
                }
                min = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000;
                if (code < min || code > 0x10FFFF || code >= 0xD800 && code <= 0xDFFF) {
                    throw notUtf8();
                }
                i += length;
            }
            return i;
        }
    }
}
