package io.dmlp.common.schema;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The column types of a template. Names are accepted case-insensitively and returned canonical; {@link #parse}
 * is the one definition of what a valid value is, shared by template defaults and dataset validation.
 */
public enum DataType {
    STRING("String"),
    INTEGER("Integer"),
    FLOAT("Float"),
    BOOLEAN("Boolean"),
    DATE("Date"),
    DATETIME("DateTime");

    private final String canonical;

    DataType(String canonical) {
        this.canonical = canonical;
    }

    /** The name as the API shows it, e.g. {@code DateTime}. */
    public String canonical() {
        return canonical;
    }

    public static Optional<DataType> of(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String key = name.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(t -> t.canonical.toLowerCase(Locale.ROOT).equals(key)).findFirst();
    }

    public static String names() {
        return Arrays.stream(values()).map(DataType::canonical).collect(Collectors.joining(", "));
    }

    /**
     * The typed value of {@code text}, or empty when it is not a value of this type. Integers are 64-bit,
     * floats finite doubles, booleans {@code true}/{@code false} in any case, dates ISO-8601
     * ({@code 2025-09-18}), date-times ISO-8601 with or without offset ({@code 2025-09-18T10:00:00Z}).
     */
    public Optional<Object> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String value = text.strip();
        try {
            return Optional.of(switch (this) {
                case STRING -> text;
                case INTEGER -> integer(value);
                case FLOAT -> finite(Double.parseDouble(value));
                case BOOLEAN -> bool(value);
                case DATE -> LocalDate.parse(value);
                case DATETIME -> hasOffset(value) ? OffsetDateTime.parse(value) : LocalDateTime.parse(value);
            });
        } catch (NumberFormatException | ArithmeticException | DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Plain digits on the fast path; "3.0" or "1e3" (whole numbers written otherwise) on the exact one. */
    private static long integer(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException notPlain) {
            return new BigDecimal(value).longValueExact();
        }
    }

    /** {@code …Z} or {@code …+02:00} after a date and time. */
    private static boolean hasOffset(String value) {
        int n = value.length();
        if (n <= 19) {
            return false;
        }
        char sign = value.charAt(n - 6);
        return value.charAt(n - 1) == 'Z'
                || (sign == '+' || sign == '-') && value.charAt(n - 3) == ':';
    }

    private static double finite(double value) {
        if (!Double.isFinite(value)) {
            throw new NumberFormatException("not finite");
        }
        return value;
    }

    private static boolean bool(String value) {
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw new NumberFormatException("not a boolean");
    }
}
