package io.dmlp.dataset.rest;

import io.dmlp.common.error.BadRequestException;
import java.io.IOException;
import io.dmlp.dataset.service.BlockInputStream;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A {@code multipart/form-data} body read as it arrives (RFC 7578): one part after the other, each part's content a
 * stream that ends where the next boundary starts. Nothing is spooled; memory is one buffer. A body this reader
 * cannot follow (no or an empty boundary, a part header without a colon or without its end, a body that ends
 * before its closing boundary) is the client's fault: a {@link BadRequestException}, also when it shows only
 * while a part's content is being read.
 */
public final class MultipartStream {

    /** One part: its form field name, its file name (null for a plain field) and its content. */
    public record Part(String name, String fileName, InputStream content) {
    }

    static final String MALFORMED = "The multipart request is malformed (its boundary or its body); send "
            + "multipart/form-data with a 'files' part.";
    private static final int BUFFER = 256 * 1024;
    private static final int MAX_HEADER_BYTES = 16 * 1024;

    private final InputStream in;
    /** CRLF, two dashes and the boundary: what ends a part's content. */
    private final byte[] delimiter;
    private final byte[] buf = new byte[BUFFER];
    private int pos;
    private int limit;
    private boolean eof;
    private boolean done;
    private PartContent current;
    /** While a part is read: no delimiter starts before this index. */
    private int searched;

    /** {@code contentType}: the request's Content-Type, whose {@code boundary} parameter splits the body. */
    public MultipartStream(InputStream in, String contentType) {
        this.in = in;
        String boundary = parameters(contentType == null ? "" : contentType).get("boundary");
        if (boundary == null || boundary.isEmpty() || boundary.length() > 200) {
            throw new BadRequestException(MALFORMED);
        }
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        // The first delimiter has no CRLF before it: pretend it had, so that one search finds every delimiter.
        buf[0] = '\r';
        buf[1] = '\n';
        limit = 2;
    }

    /** The next part, after skipping what is left of the previous one; null after the closing boundary. */
    public Part next() throws IOException {
        if (done) {
            return null;
        }
        if (current != null) {
            current.skipRest();
        }
        // the preamble, or the rest of the previous part, up to and including the delimiter
        while (true) {
            int at = find(pos);
            if (at >= 0) {
                pos = at + delimiter.length;
                break;
            }
            pos = Math.max(pos, limit - delimiter.length + 1);
            if (!fill()) {
                throw new BadRequestException(MALFORMED);
            }
        }
        require(2);
        if (buf[pos] == '-' && buf[pos + 1] == '-') {
            done = true; // the closing delimiter; an epilogue is ignored
            current = null;
            return null;
        }
        while (buf[pos] == ' ' || buf[pos] == '\t') { // transport padding
            pos++;
            require(2);
        }
        if (buf[pos] != '\r' || buf[pos + 1] != '\n') {
            throw new BadRequestException(MALFORMED);
        }
        pos += 2;
        Map<String, String> headers = headers();
        Map<String, String> disposition = parameters(headers.getOrDefault("content-disposition", ""));
        String fileName = disposition.containsKey("filename*") ? extended(disposition.get("filename*"))
                : disposition.get("filename");
        current = new PartContent();
        searched = pos;
        return new Part(disposition.get("name"), fileName, current);
    }

    /** Header lines up to the empty line, by lower-case name. */
    private Map<String, String> headers() throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        int read = 0;
        while (true) {
            int end = lineEnd();
            if (end == pos) {
                pos += 2;
                return headers;
            }
            String line = new String(buf, pos, end - pos, StandardCharsets.UTF_8);
            read += end - pos + 2;
            int colon = line.indexOf(':');
            if (colon <= 0 || read > MAX_HEADER_BYTES) {
                throw new BadRequestException(MALFORMED);
            }
            headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
            pos = end + 2;
        }
    }

    /** Index of the CRLF ending the line at {@code pos}, reading more as needed. */
    private int lineEnd() throws IOException {
        int from = pos;
        while (true) {
            for (int i = from; i + 1 < limit; i++) {
                if (buf[i] == '\r' && buf[i + 1] == '\n') {
                    return i;
                }
            }
            from = Math.max(pos, limit - 1);
            int before = pos;
            if (limit - pos >= MAX_HEADER_BYTES || !fill()) {
                throw new BadRequestException(MALFORMED);
            }
            from -= before - pos; // fill may have moved the unread bytes
        }
    }

    /** At least {@code n} unread bytes, or a malformed body. */
    private void require(int n) throws IOException {
        while (limit - pos < n) {
            if (!fill()) {
                throw new BadRequestException(MALFORMED);
            }
        }
    }

    /** Moves the unread bytes to the front and reads more; false at the end of the body. */
    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            searched = Math.max(0, searched - pos);
            pos = 0;
        }
        int read = in.read(buf, limit, buf.length - limit);
        if (read < 0) {
            eof = true;
            return false;
        }
        limit += read;
        return true;
    }

    /** Where the delimiter starts at or after {@code from} within the buffered bytes, or -1. */
    private int find(int from) {
        byte first = delimiter[0];
        int last = limit - delimiter.length;
        outer:
        for (int i = from; i <= last; i++) {
            if (buf[i] != first) {
                continue;
            }
            for (int k = 1; k < delimiter.length; k++) {
                if (buf[i + k] != delimiter[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** A part's content: the bytes before the next delimiter. */
    private final class PartContent extends BlockInputStream {

        private boolean ended;

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (ended || current != this) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            while (true) {
                // no delimiter starts before searched: scan each byte once, however small the reads
                int at = find(Math.max(pos, searched));
                searched = at >= 0 ? at : Math.max(pos, limit - delimiter.length + 1);
                // bytes before a delimiter, or all but a tail that may be the start of one
                int available = at >= 0 ? at - pos : limit - delimiter.length + 1 - pos;
                if (available > 0) {
                    int n = Math.min(len, available);
                    System.arraycopy(buf, pos, b, off, n);
                    pos += n;
                    return n;
                }
                if (at >= 0) {
                    ended = true; // the delimiter itself is consumed by next()
                    return -1;
                }
                if (!fill()) {
                    throw new BadRequestException(MALFORMED); // the body ends inside a part
                }
            }
        }

        void skipRest() throws IOException {
            byte[] skip = new byte[8192];
            while (read(skip, 0, skip.length) >= 0) {
                // discard
            }
        }
    }

    /** The parameters of a header value such as {@code form-data; name="files"; filename="a.csv"}, by name. */
    static Map<String, String> parameters(String value) {
        Map<String, String> parameters = new LinkedHashMap<>();
        int i = value.indexOf(';');
        while (i >= 0 && i < value.length()) {
            i++;
            int eq = value.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String name = value.substring(i, eq).strip().toLowerCase(Locale.ROOT);
            int p = eq + 1;
            while (p < value.length() && value.charAt(p) == ' ') {
                p++;
            }
            StringBuilder parameter = new StringBuilder();
            if (p < value.length() && value.charAt(p) == '"') {
                p++;
                while (p < value.length() && value.charAt(p) != '"') {
                    char c = value.charAt(p++);
                    // a backslash escapes the next character, except before a Windows path's next segment
                    if (c == '\\' && p < value.length() && (value.charAt(p) == '"' || value.charAt(p) == '\\')) {
                        c = value.charAt(p++);
                    }
                    parameter.append(c);
                }
                i = value.indexOf(';', p);
            } else {
                int end = value.indexOf(';', p);
                parameter.append(value, p, end < 0 ? value.length() : end);
                i = end;
            }
            parameters.putIfAbsent(name, name.endsWith("*") ? parameter.toString() : parameter.toString().strip());
        }
        return parameters;
    }

    /** An RFC 8187 value, {@code UTF-8''Z%C3%BCrich.csv}: charset, language, percent-encoded bytes. */
    static String extended(String value) {
        int first = value.indexOf('\'');
        int second = first < 0 ? -1 : value.indexOf('\'', first + 1);
        if (second < 0 || !value.substring(0, first).equalsIgnoreCase("UTF-8")) {
            throw new BadRequestException(MALFORMED);
        }
        try {
            return URLDecoder.decode(value.substring(second + 1).replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(MALFORMED);
        }
    }
}
