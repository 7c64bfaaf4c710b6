package io.dmlp.jobs.domain;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * Where a Ray job stands: {@code submitted_to_ray → running → completed | failed | cancelled}. A job may also end
 * straight from {@code submitted_to_ray}: its result can arrive before anybody saw it running, and Ray can refuse,
 * lose or stop it before it starts. An ended job never changes again.
 */
public enum JobStatus {
    SUBMITTED_TO_RAY("submitted_to_ray", "submitted"),
    RUNNING("running", "running"),
    COMPLETED("completed", "completed"),
    FAILED("failed", "failed"),
    CANCELLED("cancelled", "cancelled");

    private static final Set<JobStatus> ENDED = EnumSet.of(COMPLETED, FAILED, CANCELLED);

    private final String value;
    private final String event;

    JobStatus(String value, String event) {
        this.value = value;
        this.event = event;
    }

    /** The name stored and shown by the APIs. */
    public String value() {
        return value;
    }

    /** The last word of the event type announcing this state: {@code training.submitted}, … */
    public String event() {
        return event;
    }

    public boolean terminal() {
        return ENDED.contains(this);
    }

    public boolean canMoveTo(JobStatus next) {
        return !terminal() && next != SUBMITTED_TO_RAY && next != this;
    }

    public static JobStatus of(String value) {
        return Arrays.stream(values()).filter(s -> s.value.equals(value)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown job status: " + value));
    }

    /** Stores the status by {@link #value()}. */
    @Converter(autoApply = true)
    public static class Column implements AttributeConverter<JobStatus, String> {
        @Override
        public String convertToDatabaseColumn(JobStatus status) {
            return status == null ? null : status.value;
        }

        @Override
        public JobStatus convertToEntityAttribute(String value) {
            return value == null ? null : of(value);
        }
    }
}
