package io.dmlp.dataset.service;

import io.dmlp.common.error.UnprocessableEntityException;
import io.dmlp.common.error.UnsupportedContentException;
import io.dmlp.common.schema.DataType;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks a CSV file against a template in one streaming pass: dialect (delimiter , ; tab |, quotes, UTF-8 with
 * or without BOM, CRLF), header, and every row's values. Memory stays bounded whatever the file's size: rows
 * are read one at a time ({@link CsvScanner}) and only the first {@value #MAX_LISTED_ERRORS} errors are kept.
 * Cells are read from their bytes ({@link Cells}); {@link DataType#parse} decides every value the byte-level
 * reading does not accept outright, so the two never disagree on what is valid.
 */
public final class CsvValidator {

    /** The template column a file is checked against. */
    public record Expected(String name, DataType type, String defaultValue) {
    }

    /**
     * Where valid rows go: typed, in batches. The validator writes each row into the batch {@link #room()} returns,
     * then ends it when every value was valid or drops it.
     */
    interface RowSink {
        /** A batch with room for one more row: the current one, or a fresh one once the current one is full. */
        RowBatch room() throws IOException;
    }

    /** What validation found in one file. */
    public record Report(int totalFields, long totalRecords, long validRecords, boolean headerOk,
            Map<String, Object> errorReport) {

        /** A file is usable when its header fits the template and at least one row is valid. */
        public boolean valid() {
            return headerOk && validRecords > 0;
        }
    }

    static final int MAX_LISTED_ERRORS = 100;
    static final int MAX_VALUE_SHOWN = 100;
    private static final char[] DELIMITERS = {',', ';', '\t', '|'};
    static final int SNIFF_BYTES = 64 * 1024;

    private CsvValidator() {
    }

    /**
     * Reads {@code raw} to its end (or to the first fatal problem), handing valid rows to {@code sink}; the caller
     * keeps {@code raw} open and closes it.
     */
    static Report validate(InputStream raw, List<Expected> template, RowSink sink) throws IOException {
        BufferedInputStream in = new BufferedInputStream(new FilterInputStream(raw) {
            @Override
            public void close() {
                // the caller's stream: it may still drain it (see UploadedFiles)
            }
        }, SNIFF_BYTES);
        char delimiter = sniff(in);
        Errors errors = new Errors();
        CsvScanner rows = new CsvScanner(in, delimiter);
        if (!rows.next()) {
            throw new UnprocessableEntityException("The file is empty: it has no header.");
        }
        List<String> header = new ArrayList<>();
        for (int i = 0; i < rows.fieldCount(); i++) {
            header.add(headerName(rows.text(i)));
        }
        int[] indexOf = mapColumns(header, template, errors);
        Object[] defaults = template.stream().map(c -> c.defaultValue() == null ? null
                : c.type().parse(c.defaultValue()).orElse(null)).toArray();
        long total = 0;
        long valid = 0;
        while (rows.next()) {
            total++;
            if (indexOf != null && checkRow(rows, header.size(), template, indexOf, defaults, sink.room(), errors)) {
                valid++;
            }
        }
        if (total == 0) {
            errors.fileProblem("The file has a header but no data rows.");
        }
        return new Report(header.size(), total, valid, indexOf != null, errors.report());
    }

    /** Picks the delimiter that occurs most often, outside quotes, in the first line; refuses binary content. */
    static char sniff(BufferedInputStream in) throws IOException {
        in.mark(SNIFF_BYTES);
        byte[] head = in.readNBytes(SNIFF_BYTES);
        in.reset();
        int[] counts = new int[DELIMITERS.length];
        boolean quoted = false;
        int start = head.length >= 3 && (head[0] & 0xff) == 0xEF && (head[1] & 0xff) == 0xBB && (head[2] & 0xff) == 0xBF
                ? 3 : 0;
        for (int i = start; i < head.length; i++) {
            byte b = head[i];
            if (b == 0) {
                throw new UnsupportedContentException("The file is binary, not CSV text.");
            }
            if (b == '"') {
                quoted = !quoted;
            } else if (!quoted && (b == '\n' || b == '\r')) {
                break;
            } else if (!quoted) {
                for (int d = 0; d < DELIMITERS.length; d++) {
                    if (b == DELIMITERS[d]) {
                        counts[d]++;
                    }
                }
            }
        }
        int best = 0;
        for (int d = 1; d < DELIMITERS.length; d++) {
            if (counts[d] > counts[best]) {
                best = d;
            }
        }
        return DELIMITERS[best];
    }

    static String headerName(String field) {
        String name = field.strip();
        return name.startsWith("\uFEFF") ? name.substring(1).strip() : name;
    }

    /** Template column → index in the file, or null when the header lacks template columns. */
    private static int[] mapColumns(List<String> header, List<Expected> template, Errors errors) {
        Map<String, Integer> positions = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            positions.putIfAbsent(header.get(i).toLowerCase(Locale.ROOT), i);
        }
        int[] indexOf = new int[template.size()];
        List<String> missing = new ArrayList<>();
        for (int c = 0; c < template.size(); c++) {
            Integer position = positions.remove(template.get(c).name().toLowerCase(Locale.ROOT));
            if (position == null) {
                missing.add(template.get(c).name());
            } else {
                indexOf[c] = position;
            }
        }
        if (!positions.isEmpty()) {
            errors.extraColumns(header.stream().filter(h -> positions.containsKey(h.toLowerCase(Locale.ROOT))).toList());
        }
        if (!missing.isEmpty()) {
            errors.fileProblem("The header lacks the template's columns: " + String.join(", ", missing) + ".");
            return null;
        }
        return indexOf;
    }

    /** Checks the current record; a valid one is ended in {@code batch}, an invalid one dropped from it. */
    private static boolean checkRow(CsvScanner record, int width, List<Expected> template, int[] indexOf,
            Object[] defaults, RowBatch batch, Errors errors) {
        if (record.fieldCount() != width) {
            errors.add(record.line(), null, null, "row has " + record.fieldCount() + " fields, the header " + width);
            return false;
        }
        byte[] bytes = record.buffer();
        int row = batch.size();
        boolean ok = true;
        for (int c = 0; c < template.size(); c++) {
            int field = indexOf[c];
            int from = record.start(field);
            int to = record.end(field);
            int read = record.complex(field) ? Cells.DECLINED : Cells.read(bytes, from, to, batch, c, row);
            if (read == Cells.BLANK) {
                Cells.store(batch, c, row, defaults[c]); // empty takes the default (or null): never an error
            } else if (read == Cells.DECLINED) {
                String value = record.text(field);
                if (value.isBlank()) {
                    Cells.store(batch, c, row, defaults[c]);
                    continue;
                }
                Object parsed = template.get(c).type().parse(value).orElse(null);
                if (parsed == null) {
                    errors.add(record.line(), template.get(c).name(), value,
                            "not a valid " + template.get(c).type().canonical());
                    ok = false;
                } else {
                    Cells.store(batch, c, row, parsed);
                }
            }
        }
        if (ok) {
            batch.endRow();
        } else {
            batch.dropRow();
        }
        return ok;
    }

    /** Totals per reason and the first errors in full; null report when nothing went wrong. */
    private static final class Errors {
        private final Map<String, Long> perReason = new LinkedHashMap<>();
        private final List<Map<String, Object>> listed = new ArrayList<>();
        private final List<String> fileProblems = new ArrayList<>();
        private List<String> extraColumns = List.of();
        private long total;

        void add(long line, String column, String value, String reason) {
            total++;
            perReason.merge(reason, 1L, Long::sum);
            if (listed.size() < MAX_LISTED_ERRORS) {
                Map<String, Object> error = new LinkedHashMap<>();
                error.put("row", line);
                error.put("column", column);
                error.put("value", value == null || value.length() <= MAX_VALUE_SHOWN ? value
                        : value.substring(0, MAX_VALUE_SHOWN) + "…");
                error.put("reason", reason);
                listed.add(error);
            }
        }

        void fileProblem(String problem) {
            fileProblems.add(problem);
        }

        void extraColumns(List<String> names) {
            extraColumns = names;
        }

        Map<String, Object> report() {
            if (total == 0 && fileProblems.isEmpty() && extraColumns.isEmpty()) {
                return null;
            }
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("total_errors", total);
            report.put("errors_by_reason", perReason);
            report.put("errors", listed);
            report.put("file_problems", fileProblems);
            report.put("extra_columns", extraColumns);
            return report;
        }
    }
}
