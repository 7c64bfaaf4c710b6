package io.dmlp.dataset.service;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import io.dmlp.common.error.UnprocessableEntityException;
import io.dmlp.common.schema.DataType;
import io.dmlp.dataset.config.InferredSchemaConfig;
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
 * String); a column with no value in the sample is a String. The header's width and names are bounded
 * ({@link InferredSchemaConfig}).
 */
final class SchemaInference {

    static final int SAMPLE_ROWS = 1000;
    private static final List<DataType> NARROWEST_FIRST = List.of(DataType.BOOLEAN, DataType.INTEGER,
            DataType.FLOAT, DataType.DATE, DataType.DATETIME);

    private SchemaInference() {
    }

    static List<CsvValidator.Expected> infer(InputStream raw, InferredSchemaConfig limits) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, CsvValidator.SNIFF_BYTES);
        char delimiter = CsvValidator.sniff(in);
        try (CsvReader<CsvRecord> reader = CsvValidator.reader(in, delimiter)) {
            var rows = reader.iterator();
            if (!rows.hasNext()) {
                throw new UnprocessableEntityException("The file is empty: it has no header.");
            }
            List<String> header = rows.next().getFields().stream().map(CsvValidator::headerName).toList();
            checkHeader(header, limits);
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

    private static void checkHeader(List<String> header, InferredSchemaConfig limits) {
        if (header.size() > limits.maxColumns()) {
            throw new UnprocessableEntityException("The header has " + header.size() + " columns; a schema inferred "
                    + "without a template may have at most " + limits.maxColumns() + " (dmlp.dataset.inferred-schema"
                    + ".max-columns).");
        }
        Set<String> names = new HashSet<>();
        for (int c = 0; c < header.size(); c++) {
            int length = header.get(c).codePointCount(0, header.get(c).length());
            if (length > limits.maxColumnNameLength()) {
                throw new UnprocessableEntityException("Column " + (c + 1) + " of the header has a name of " + length
                        + " characters; a schema inferred without a template allows at most "
                        + limits.maxColumnNameLength() + " (dmlp.dataset.inferred-schema.max-column-name-length).");
            }
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
