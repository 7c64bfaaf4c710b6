package io.dmlp.jobs.event;

import io.dmlp.common.outbox.Outbox;
import io.dmlp.jobs.domain.RayJob;
import io.dmlp.jobs.service.JobOwner;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A job's transition as a CloudEvent on its owner's topic, through the outbox (inside the transaction that made
 * the transition): type {@code io.dmlp.<domain>.<prefix><status event>.v1}, subject the owner id, and a payload from which
 * an outside consumer can follow the job alone.
 */
@ApplicationScoped
public class JobEvents {

    private final Outbox outbox;

    public JobEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    public Uni<Void> announce(JobOwner owner, RayJob job) {
        return owner.describe(job).chain(fields -> {
            Map<String, Object> data = new LinkedHashMap<>(fields);
            data.put("job_id", job.id);
            data.put("kind", job.kind.value());
            data.put("status", job.status.value());
            data.put("submitted_at", job.submittedAt);
            if (job.startedAt != null) {
                data.put("started_at", job.startedAt);
            }
            if (job.finishedAt != null) {
                data.put("finished_at", job.finishedAt);
            }
            if (job.error != null) {
                data.put("error", job.error);
            }
            return outbox.append(owner.topic(), owner.domain(), owner.eventPrefix() + job.status.event(), job.ownerId,
                    job.tenantId.toString(), data).replaceWithVoid();
        });
    }
}
