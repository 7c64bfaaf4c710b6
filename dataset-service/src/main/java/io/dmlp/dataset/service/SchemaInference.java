package io.dmlp.dataset.service;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import io.dmlp.common.error.UnprocessableEntityException;
import io.dmlp.common.schema.DataType;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Infers a template from a CSV file's header and its first {@value #SAMPLE_ROWS} rows: each column gets the
 * narrowest type that every non-empty sampled value parses as (Boolean, Integer, Float, Date, DateTime, else
 * String); a column with no value in the sample is a String.
 */
final class SchemaInference {

    static final int SAMPLE_ROWS = 1000;
    private static final List<DataType> NARROWEST_FIRST = List.of(DataType.BOOLEAN, DataType.INTEGER,
            DataType.FLOAT, DataType.DATE, DataType.DATETIME);

    private SchemaInference() {
    }

    static List<CsvValidator.Expected> infer(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, CsvValidator.SNIFF_BYTES);
        char delimiter = CsvValidator.sniff(in);
        try (CsvReader<CsvRecord> reader = CsvValidator.reader(in, delimiter)) {
            var rows = reader.iterator();
            if (!rows.hasNext()) {
                throw new UnprocessableEntityException("The file is empty: it has no header.");
            }
            List<String> header = rows.next().getFields().stream().map(CsvValidator::headerName).toList();
            checkHeader(header);
            List<List<DataType>> candidates = new ArrayList<>();
            header.forEach(column -> candidates.add(new ArrayList<>(NARROWEST_FIRST)));
            boolean[] seen = new boolean[header.size()];
            for (int n = 0; n < SAMPLE_ROWS && rows.hasNext(); n++) {
                CsvRecord row = rows.next();
                for (int c = 0; c < Math.min(row.getFieldCount(), header.size()); c++) {
                    String value = row.getField(c);
                    if (!value.isBlank()) {
                        seen[c] = true;
                        candidates.get(c).removeIf(type -> type.parse(value).isEmpty());
                    }
                }
            }
            List<CsvValidator.Expected> columns = new ArrayList<>();
            for (int c = 0; c < header.size(); c++) {
                DataType type = seen[c] && !candidates.get(c).isEmpty() ? candidates.get(c).get(0) : DataType.STRING;
                columns.add(new CsvValidator.Expected(header.get(c), type, null));
            }
            return columns;
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof CharacterCodingException) {
                throw new UnprocessableEntityException("The file is not UTF-8 text.");
            }
            throw e;
        }
    }

    private static void checkHeader(List<String> header) {
        Set<String> names = new HashSet<>();
        for (int c = 0; c < header.size(); c++) {
            if (header.get(c).isEmpty()) {
                throw new UnprocessableEntityException("Column " + (c + 1) + " of the header has no name: name it, "
                        + "or upload with a template_id.");
            }
            if (!names.add(header.get(c).toLowerCase(Locale.ROOT))) {
                throw new UnprocessableEntityException("The header names the column '" + header.get(c)
                        + "' twice.");
            }
        }
    }
}
