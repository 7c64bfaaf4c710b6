package io.dmlp.training.service;

import io.dmlp.common.client.RayJobClient;
import io.dmlp.common.client.RayRequestException;
import io.dmlp.common.error.ConflictException;
import io.dmlp.common.error.ResourceNotFoundException;
import io.dmlp.common.error.UnprocessableEntityException;
import io.dmlp.common.security.Caller;
import io.dmlp.jobs.domain.JobKind;
import io.dmlp.jobs.service.JobLifecycle;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Stops any kind of the platform's Ray jobs ({@code POST /ray/terminate_ray_job}). Whose job it is comes from the
 * job's own Ray metadata ({@code tenant_id}, {@code kind}), written at submission by the shared job lifecycle, so
 * this service needs no copy of other services' jobs: another tenant's job, or a job the platform did not submit,
 * is as unknown as a missing one. Training and SHAP jobs, which this service owns, are recorded {@code cancelled} at
 * once; another service records its job {@code cancelled} when its lifecycle sees Ray stopped it (its reconciler, or
 * a refresh on read).
 */
@ApplicationScoped
public class RayJobTermination {

    /** Job ids as the lifecycle makes them ({@code train-<uuid>}); anything else never reaches Ray's URL paths. */
    private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private final RayJobClient ray;
    private final JobLifecycle lifecycle;

    public RayJobTermination(RayJobClient ray, JobLifecycle lifecycle) {
        this.ray = ray;
        this.lifecycle = lifecycle;
    }

    public Uni<Void> terminate(Caller caller, String rayJobId, String usage) {
        JobKind kind = JobKind.parse(usage, "usage");
        if (!JOB_ID.matcher(rayJobId).matches()) {
            return Uni.createFrom().failure(new ResourceNotFoundException("Ray job not found."));
        }
        Uni<RayJobClient.JobStatus> found = ray.status(rayJobId)
                .onFailure(RayRequestException.class).transform(e -> unknown(rayJobId));
        return found.chain(job -> {
            String tenant = job.metadata().get("tenant_id");
            if (tenant == null || !(caller.isPlatformAdmin() || tenant.equals(caller.tenantId()))) {
                return Uni.createFrom().failure(unknown(rayJobId));
            }
            if (!kind.value().equals(job.metadata().get("kind"))) {
                return Uni.createFrom().failure(new UnprocessableEntityException("'usage' is '" + kind.value()
                        + "' but Ray job '" + rayJobId + "' is a " + job.metadata().get("kind") + " job."));
            }
            if (job.terminal()) {
                return Uni.createFrom().failure(new ConflictException("Ray job '" + rayJobId
                        + "' has already ended (" + job.status() + ")."));
            }
            return kind == JobKind.TRAINING || kind == JobKind.SHAP
                    ? lifecycle.cancel(UUID.fromString(tenant), rayJobId).replaceWithVoid()
                    : ray.stop(rayJobId).replaceWithVoid();
        });
    }

    private static ResourceNotFoundException unknown(String rayJobId) {
        return new ResourceNotFoundException("Ray job '" + rayJobId + "' not found.");
    }
}
