package io.dmlp.training.service;

import io.dmlp.common.error.ConflictException;
import io.dmlp.common.error.ResourceNotFoundException;
import io.dmlp.common.security.Caller;
import io.dmlp.jobs.domain.JobStatus;
import io.dmlp.jobs.repository.RayJobRepository;
import io.dmlp.training.domain.TrainingRun;
import io.dmlp.training.repository.TrainingRunRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** A caller's runs as the model endpoints look them up: another tenant's run is as unknown as a missing one. */
@ApplicationScoped
public class TrainingRuns {

    private final TrainingRunRepository runs;
    private final RayJobRepository jobs;

    public TrainingRuns(TrainingRunRepository runs, RayJobRepository jobs) {
        this.runs = runs;
        this.jobs = jobs;
    }

    /** The caller's run; 404 otherwise. Call it inside a session. */
    public Uni<TrainingRun> visible(Caller caller, long trainId) {
        return runs.find(UUID.fromString(caller.tenantId()), trainId).invoke(run -> {
            if (run == null) {
                throw new ResourceNotFoundException("Training run " + trainId + " not found.");
            }
        });
    }

    /** The caller's run whose training completed (a model); 409 naming its state otherwise. */
    public Uni<TrainingRun> completed(Caller caller, long trainId, String what) {
        return visible(caller, trainId).call(run -> jobs.findById(run.rayJobId).invoke(job -> {
            if (job.status != JobStatus.COMPLETED) {
                throw new ConflictException(what + " needs a completed model; run " + trainId + " is "
                        + job.status.value() + (job.error == null ? "." : ": " + job.error));
            }
        }));
    }
}
