package io.dmlp.dataset.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dmlp.common.error.UnprocessableEntityException;
import io.dmlp.common.schema.DataType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The byte-level reading of CSV: the same records and values as reading text, however the bytes arrive. */
class CsvReadingTest {

    /** Every record's fields and starting line, read from an input that hands out {@code piece} bytes at a time. */
    static List<String> records(String csv, int piece) throws IOException {
        byte[] bytes = csv.getBytes(StandardCharsets.UTF_8);
        InputStream in = new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, piece));
            }
        };
        CsvScanner scanner = new CsvScanner(in, ',');
        List<String> records = new ArrayList<>();
        while (scanner.next()) {
            List<String> fields = new ArrayList<>();
            for (int i = 0; i < scanner.fieldCount(); i++) {
                fields.add(scanner.text(i));
            }
            records.add(scanner.line() + ":" + fields);
        }
        return records;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 1 << 20})
    void recordsFieldsAndLineNumbersWhateverTheReadSizes(int piece) throws IOException {
        String csv = "\uFEFFa,b,c\r\n"
                + "1,\"x, \"\"quoted\"\"\",3\r\n"
                + "\n"
                + "\"multi\nline\",,\"\"\n"
                + "4,ab\"c,\"q\"tail\r"
                + "5,é,日本\n"
                + "last,without,newline";

        assertThat(records(csv, piece)).containsExactly(
                "1:[a, b, c]",
                "2:[1, x, \"quoted\", 3]",
                "4:[multi\nline, , ]",
                "6:[4, ab\"c, qtail]",
                "7:[5, é, 日本]",
                "8:[last, without, newline]");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5, 1 << 20})
    void aByteThatIsNotUtf8AnywhereRefusesTheFile(int piece) {
        for (byte[] bad : new byte[][] {{(byte) 0xC3}, {(byte) 0xC0, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0,
            (byte) 0x80}, {(byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0xE2, (byte) 0x28, (byte) 0xA1}}) {
            String csv = "a,b\n1,x" + new String(bad, StandardCharsets.ISO_8859_1) + "\n2,y\n";
            assertThatThrownBy(() -> scanAll(csv.getBytes(StandardCharsets.ISO_8859_1), piece))
                    .isInstanceOf(UnprocessableEntityException.class).hasMessageContaining("UTF-8");
        }
    }

    private static void scanAll(byte[] bytes, int piece) throws IOException {
        InputStream in = new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, piece));
            }
        };
        CsvScanner scanner = new CsvScanner(in, ',');
        while (scanner.next()) {
            scanner.fieldCount();
        }
    }

    @Test
    void aRecordLongerThanTheBufferIsReadWhole() throws IOException {
        String big = "x".repeat(3 << 20);
        assertThat(records("a,b\n" + big + ",1\n", 1 << 16)).hasSize(2)
                .last().satisfies(r -> assertThat(r).endsWith(", 1]").hasSize(big.length() + 7));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-0", "+7", "123456789012345678", "1234567890123456789", "-9223372036854775808",
        " 5", "5 ", "3.0", "1e3", "0x10", "", "-", "+", "1.5", "١٢", "12a"})
    void integersReadFromBytesAreWhatParseSays(String text) {
        sameAsParse(DataType.INTEGER, text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-0", "-0.0", "1.5", "0.1", "0.3", "123456789012345", "1234567890123456",
        "9007199254740993", "0.000001", "-1234567.8", "1.", ".5", ".", "1e10", "NaN", "Infinity", "1.2.3", " 2.5",
        "2.5 ", "1d", "+3.25", "99999999999999.9", "0.123456789012345", "12,5"})
    void floatsReadFromBytesAreWhatParseSays(String text) {
        sameAsParse(DataType.FLOAT, text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "FALSE", "True", "tRuE", "yes", "1", "truee", " true"})
    void booleansReadFromBytesAreWhatParseSays(String text) {
        sameAsParse(DataType.BOOLEAN, text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2025-09-18", "2024-02-29", "2023-02-29", "2025-13-01", "2025-00-10", "2025-04-31",
        "0000-01-01", "1900-02-29", "2000-02-29", "9999-12-31", "1899-12-31", "1900-01-01", "2199-12-31", "2200-01-01",
        "2100-02-29", "1996-02-29", "2025-02-28", "2025-12-31", "2025-9-18", "2025/09/18", "20250918",
        "+12025-01-01", " 2025-09-18"})
    void datesReadFromBytesAreWhatParseSays(String text) {
        sameAsParse(DataType.DATE, text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2025-09-18T10:00:00", "1969-12-31T23:59:59", "2025-09-18T24:00:00", "2025-09-18T10:60:00",
        "2025-09-18T10:00:60", "2025-09-18 10:00:00", "2025-09-18t10:00:00", "2025-09-18T10:00", "2025-09-18T10:00:00Z",
        "2025-09-18T10:00:00+02:00", "2025-09-18T10:00:00.123456", "2023-02-29T00:00:00"})
    void dateTimesReadFromBytesAreWhatParseSays(String text) {
        sameAsParse(DataType.DATETIME, text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", " padded ", "   ", "\t", "\u2003", "\u00a0", "é", "x\u0001"})
    void stringsReadFromBytesAreWhatParseSays(String text) {
        sameAsParse(DataType.STRING, text);
    }

    /** What the byte-level reading stores (or declines) agrees with DataType.parse on the same text. */
    private static void sameAsParse(DataType type, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        RowBatch fast = new RowBatch(List.of(type), 1);
        int read = Cells.read(bytes, 0, bytes.length, fast, 0, 0);
        Object expected = text.isBlank() ? "blank" : type.parse(text).orElse(null);
        if (read == Cells.DECLINED) {
            return; // DataType.parse decides it, by definition the same
        }
        if (read == Cells.BLANK) {
            assertThat(expected).as(text).isEqualTo("blank");
            return;
        }
        assertThat(expected).as(text).isNotNull().isNotEqualTo("blank");
        RowBatch slow = new RowBatch(List.of(type), 1);
        Cells.store(slow, 0, 0, expected);
        switch (type) {
            case INTEGER -> assertThat(fast.longs[0][0]).as(text).isEqualTo(slow.longs[0][0]);
            case FLOAT -> assertThat(Double.doubleToRawLongBits(fast.doubles[0][0])).as(text)
                    .isEqualTo(Double.doubleToRawLongBits(slow.doubles[0][0]));
            case BOOLEAN -> assertThat(fast.booleans[0][0]).as(text).isEqualTo(slow.booleans[0][0]);
            case DATE -> assertThat(fast.ints[0][0]).as(text).isEqualTo(slow.ints[0][0]);
            case DATETIME -> assertThat(fast.longs[0][0]).as(text).isEqualTo(slow.longs[0][0]);
            case STRING -> assertThat(new String(fast.bytes, fast.offsets[0][0], fast.lengths[0][0],
                    StandardCharsets.UTF_8)).as(text).isEqualTo(expected);
        }
    }

    @Test
    void dateTimesAreMicrosecondsSinceTheEpochInUtc() {
        RowBatch batch = new RowBatch(List.of(DataType.DATETIME, DataType.DATE), 1);
        Cells.store(batch, 0, 0, OffsetDateTime.of(2025, 9, 18, 12, 0, 0, 0, ZoneOffset.ofHours(2)));
        Cells.store(batch, 1, 0, LocalDate.of(1969, 12, 31));
        assertThat(batch.longs[0][0]).isEqualTo(ChronoUnit.MICROS.between(LocalDateTime.of(1970, 1, 1, 0, 0),
                LocalDateTime.of(2025, 9, 18, 10, 0)));
        assertThat(batch.ints[1][0]).isEqualTo(-1);
    }
}
