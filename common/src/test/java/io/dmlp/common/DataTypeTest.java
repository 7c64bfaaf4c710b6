package io.dmlp.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.dmlp.common.schema.DataType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DataTypeTest {

    @ParameterizedTest(name = "{0} ''{1}'' valid={2}")
    @CsvSource({
        "Integer, 42, true", "Integer, -7, true", "Integer, 4.0, true", "Integer, 4.5, false", "Integer, abc, false",
        "Integer, 99999999999999999999, false",
        "Float, 0.0, true", "Float, 1e3, true", "Float, NaN, false", "Float, Infinity, false", "Float, x1, false",
        "Boolean, TRUE, true", "Boolean, false, true", "Boolean, yes, false",
        "Date, 2025-09-18, true", "Date, 2025-02-30, false", "Date, 18/09/2025, false",
        "DateTime, 2025-09-18T10:00:00Z, true", "DateTime, 2025-09-18T10:00:00, true",
        "DateTime, 2025-09-18T10:00:00+02:00, true", "DateTime, 2025-09-18, false",
        "String, anything, true"
    })
    void parsesExactlyTheValuesOfItsType(String type, String value, boolean valid) {
        assertThat(DataType.of(type).orElseThrow().parse(value).isPresent()).isEqualTo(valid);
    }

    @ParameterizedTest
    @CsvSource({"string, String", "FLOAT, Float", " datetime , DateTime", "Integer, Integer"})
    void acceptsNamesInAnyCaseAndReturnsThemCanonical(String given, String canonical) {
        assertThat(DataType.of(given).orElseThrow().canonical()).isEqualTo(canonical);
    }

    @org.junit.jupiter.api.Test
    void unknownNamesAreEmpty() {
        assertThat(DataType.of("Text")).isEmpty();
        assertThat(DataType.of(null)).isEmpty();
    }
}
