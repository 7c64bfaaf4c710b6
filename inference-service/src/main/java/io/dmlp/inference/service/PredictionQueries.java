package io.dmlp.inference.service;

import io.dmlp.common.error.ResourceNotFoundException;
import io.dmlp.common.security.Caller;
import io.dmlp.common.security.Permission;
import io.dmlp.inference.domain.Prediction;
import io.dmlp.inference.repository.PredictionRepository;
import io.dmlp.jobs.domain.JobStatus;
import io.dmlp.jobs.domain.RayJob;
import io.dmlp.jobs.repository.RayJobRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The prediction log as a tenant reads it; a batch or forecast entry shows its Ray job's state. */
@ApplicationScoped
public class PredictionQueries {

    /** An entry with its job (null for a real-time call). */
    public record Entry(Prediction prediction, RayJob job) {

        /** A real-time call is completed when logged; a job's entry is in its job's state. */
        public String status() {
            return job == null ? JobStatus.COMPLETED.value() : job.status.value();
        }
    }

    public record Page(long total, List<Entry> entries) {
    }

    private final PredictionRepository predictions;
    private final RayJobRepository jobs;
    private final DeployedModels models;

    public PredictionQueries(PredictionRepository predictions, RayJobRepository jobs, DeployedModels models) {
        this.predictions = predictions;
        this.jobs = jobs;
        this.models = models;
    }

    /**
     * A page of the model's log, newest first. 404 when the caller's tenant has neither the model nor a logged
     * prediction of it (a deleted model's log stays readable).
     */
    public Uni<Page> ofModel(Caller caller, long trainId, int skip, int limit) {
        caller.require(Permission.VIEW);
        UUID tenantId = UUID.fromString(caller.tenantId());
        return Panache.withSession(() -> predictions.countOfModel(tenantId, trainId).chain(total -> {
            if (total == 0) {
                models.visible(caller, trainId);
            }
            return predictions.ofModel(tenantId, trainId, skip, limit).chain(page -> withJobs(page)
                    .map(entries -> new Page(total, entries)));
        }));
    }

    /** The caller's prediction with its job; 404 otherwise. */
    public Uni<Entry> one(Caller caller, long predictionId) {
        caller.require(Permission.VIEW);
        return Panache.withSession(() -> predictions.find(UUID.fromString(caller.tenantId()), predictionId)
                .chain(prediction -> {
                    if (prediction == null) {
                        throw new ResourceNotFoundException("Prediction " + predictionId + " not found.");
                    }
                    return withJobs(List.of(prediction)).map(entries -> entries.get(0)).call(entry -> entry.job() != null
                            && entry.job().status.terminal()
                            // Read again: the job's ending wrote the prediction's results in the same commit,
                            // which may have come between reading the prediction and reading its job.
                            ? Panache.getSession().chain(session -> session.refresh(entry.prediction()))
                            : Uni.createFrom().voidItem());
                }));
    }

    private Uni<List<Entry>> withJobs(List<Prediction> page) {
        List<String> ids = page.stream().map(p -> p.rayJobId).filter(Objects::nonNull).toList();
        Uni<List<RayJob>> found = ids.isEmpty() ? Uni.createFrom().item(List.of()) : jobs.withIds(ids);
        return found.map(list -> {
            Map<String, RayJob> byId = list.stream().collect(Collectors.toMap(job -> job.id, Function.identity()));
            return page.stream().map(p -> new Entry(p, p.rayJobId == null ? null : byId.get(p.rayJobId))).toList();
        });
    }
}
