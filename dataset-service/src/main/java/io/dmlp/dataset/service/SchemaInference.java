package io.dmlp.dataset.service;

import io.dmlp.common.error.UnprocessableEntityException;
import io.dmlp.common.schema.DataType;
import io.dmlp.dataset.config.InferredSchemaConfig;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Infers a template from a CSV file's header and its first {@value #SAMPLE_ROWS} rows (within the head the upload
 * reads for it, {@link DatasetIngest#INFERENCE_HEAD_BYTES}): each column gets the
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

    /**
     * Infers the columns from {@code head}, the start of a file; {@code cut}: the file goes on after it, so its last
     * record may be cut off and is not sampled.
     */
    static List<CsvValidator.Expected> infer(InputStream head, boolean cut, InferredSchemaConfig limits)
            throws IOException {
        BufferedInputStream in = new BufferedInputStream(head, CsvValidator.SNIFF_BYTES);
        CsvScanner rows = new CsvScanner(in, CsvValidator.sniff(in));
        if (!rows.next()) {
            throw new UnprocessableEntityException("The file is empty: it has no header.");
        }
        List<String> header = new ArrayList<>();
        for (int i = 0; i < rows.fieldCount(); i++) {
            header.add(CsvValidator.headerName(rows.text(i)));
        }
        checkHeader(header, limits);
        List<List<String>> sample = new ArrayList<>();
        while (sample.size() <= SAMPLE_ROWS && rows.next()) {
            List<String> values = new ArrayList<>();
            for (int c = 0; c < Math.min(rows.fieldCount(), header.size()); c++) {
                values.add(rows.text(c));
            }
            sample.add(values);
        }
        if (cut && sample.size() <= SAMPLE_ROWS && !sample.isEmpty()) {
            sample.remove(sample.size() - 1); // the head ended inside the file, maybe inside this record
        }
        List<List<DataType>> candidates = new ArrayList<>();
        header.forEach(column -> candidates.add(new ArrayList<>(NARROWEST_FIRST)));
        boolean[] seen = new boolean[header.size()];
        for (List<String> row : sample.subList(0, Math.min(sample.size(), SAMPLE_ROWS))) {
            for (int c = 0; c < row.size(); c++) {
                String value = row.get(c);
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
