package io.dmlp.jobs.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The state machine every Ray job follows. */
class JobStatusTest {

    private static final OffsetDateTime T0 = OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

    private static RayJob submitted() {
        RayJob job = new RayJob();
        job.id = "stat-" + UUID.randomUUID();
        job.status = JobStatus.SUBMITTED_TO_RAY;
        job.submittedAt = T0;
        return job;
    }

    @Test
    void aJobRunsThenCompletesWithItsTimes() {
        RayJob job = submitted();

        assertThat(job.moveTo(JobStatus.RUNNING, null, T0.plusSeconds(1))).isTrue();
        assertThat(job.moveTo(JobStatus.COMPLETED, "ignored", T0.plusSeconds(5))).isTrue();

        assertThat(job.status).isEqualTo(JobStatus.COMPLETED);
        assertThat(job.startedAt).isEqualTo(T0.plusSeconds(1));
        assertThat(job.finishedAt).isEqualTo(T0.plusSeconds(5));
        assertThat(job.error).isNull();
    }

    @ParameterizedTest
    @EnumSource(value = JobStatus.class, names = {"COMPLETED", "FAILED", "CANCELLED"})
    void aJobCanEndBeforeAnybodySawItRunning(JobStatus end) {
        RayJob job = submitted();

        assertThat(job.moveTo(end, "Ray no longer knows the job.", T0.plusSeconds(40))).isTrue();

        assertThat(job.startedAt).isNull();
        assertThat(job.finishedAt).isEqualTo(T0.plusSeconds(40));
        assertThat(job.error).isEqualTo(end == JobStatus.COMPLETED ? null : "Ray no longer knows the job.");
    }

    @ParameterizedTest
    @EnumSource(value = JobStatus.class, names = {"COMPLETED", "FAILED", "CANCELLED"})
    void anEndedJobNeverChangesAgain(JobStatus end) {
        RayJob job = submitted();
        job.moveTo(end, "first", T0.plusSeconds(2));

        for (JobStatus next : JobStatus.values()) {
            assertThat(job.moveTo(next, "second", T0.plusSeconds(9))).as(end + " → " + next).isFalse();
        }
        assertThat(job.status).isEqualTo(end);
        assertThat(job.finishedAt).isEqualTo(T0.plusSeconds(2));
        assertThat(job.error).isEqualTo(end == JobStatus.COMPLETED ? null : "first");
    }

    @Test
    void nothingGoesBackToSubmittedAndRunningIsEnteredOnce() {
        RayJob job = submitted();
        job.moveTo(JobStatus.RUNNING, null, T0.plusSeconds(1));

        assertThat(job.moveTo(JobStatus.SUBMITTED_TO_RAY, null, T0.plusSeconds(2))).isFalse();
        assertThat(job.moveTo(JobStatus.RUNNING, null, T0.plusSeconds(3))).isFalse();
        assertThat(job.startedAt).isEqualTo(T0.plusSeconds(1));
    }

    @Test
    void statusesAndKindsAreStoredByTheirPublicNames() {
        assertThat(new JobStatus.Column().convertToDatabaseColumn(JobStatus.SUBMITTED_TO_RAY)).isEqualTo("submitted_to_ray");
        assertThat(new JobStatus.Column().convertToEntityAttribute("cancelled")).isEqualTo(JobStatus.CANCELLED);
        assertThat(JobStatus.SUBMITTED_TO_RAY.event()).isEqualTo("submitted");
        assertThat(new JobKind.Column().convertToDatabaseColumn(JobKind.BATCH_PREDICTION)).isEqualTo("batch_prediction");
        assertThat(new JobKind.Column().convertToEntityAttribute("statistics")).isEqualTo(JobKind.STATISTICS);
    }
}
