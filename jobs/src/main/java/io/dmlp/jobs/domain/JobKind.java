package io.dmlp.jobs.domain;

import io.dmlp.common.error.UnprocessableEntityException;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.Arrays;
import java.util.stream.Collectors;

/** What a Ray job does; recorded on the job and in its Ray metadata ({@code kind}). */
public enum JobKind {
    TRAINING("training", "train"),
    SHAP("shap", "shap"),
    STATISTICS("statistics", "stat"),
    BATCH_PREDICTION("batch_prediction", "batch"),
    FORECAST("forecast", "forecast");

    private final String value;
    private final String idPrefix;

    JobKind(String value, String idPrefix) {
        this.value = value;
        this.idPrefix = idPrefix;
    }

    /** The name stored and shown: {@code batch_prediction}, … */
    public String value() {
        return value;
    }

    /** Job ids start with it ({@code stat-…}), so an id tells a reader what it is. */
    public String idPrefix() {
        return idPrefix;
    }

    /** The kind a client names as {@code field} (e.g. {@code usage}); 422 listing the kinds otherwise. */
    public static JobKind parse(String value, String field) {
        return Arrays.stream(values()).filter(k -> k.value.equals(value)).findFirst()
                .orElseThrow(() -> new UnprocessableEntityException("'" + field + "' must be one of "
                        + Arrays.stream(values()).map(JobKind::value).collect(Collectors.joining(", ")) + "."));
    }

    public static JobKind of(String value) {
        return Arrays.stream(values()).filter(k -> k.value.equals(value)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown job kind: " + value));
    }

    /** Stores the kind by {@link #value()}. */
    @Converter(autoApply = true)
    public static class Column implements AttributeConverter<JobKind, String> {
        @Override
        public String convertToDatabaseColumn(JobKind kind) {
            return kind == null ? null : kind.value;
        }

        @Override
        public JobKind convertToEntityAttribute(String value) {
            return value == null ? null : of(value);
        }
    }
}
