package io.dmlp.jobs.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmlp.jobs.domain.JobKind;
import io.dmlp.jobs.domain.RayJob;
import io.smallrye.mutiny.Uni;
import java.util.Map;

/**
 * The service side of one {@link JobKind}: where its jobs post their result, what of a result it keeps, and how its
 * jobs' transitions are announced. One CDI bean per kind, in the service that owns those jobs.
 */
public interface JobOwner {

    JobKind kind();

    /** The path the job posts its result to, e.g. {@code /api/v1/dataset/statistics/result}. */
    String callbackPath();

    /** The owning domain's topic (base name), e.g. {@code dmlp.dataset.events}. */
    String topic();

    /** The domain in the event type: {@code io.dmlp.<domain>.<eventPrefix><status>.v1}. */
    String domain();

    /** Put before the status in the event type, e.g. {@code statistics.}; empty for {@code training.completed}. */
    String eventPrefix();

    /**
     * The owner's own fields in every event of a job, e.g. {@code dataset_id}; called inside the transaction that
     * moves the job, after its new state (and result) is set.
     */
    Uni<Map<String, Object>> describe(RayJob job);

    /**
     * The owner's own records brought in line with a job that just ended (its status and result are set), in the
     * transaction that ends it, so that no reader sees the job ended and the owner's record not yet; nothing by
     * default.
     */
    default Uni<Void> jobEnded(RayJob job) {
        return Uni.createFrom().voidItem();
    }

    /**
     * What of a succeeded result is kept as the job's result; throws
     * {@link io.dmlp.common.error.UnprocessableEntityException} when the result lacks what the owner needs.
     */
    JsonNode result(RayJob job, JsonNode body);
}
