package io.dmlp.training.service;

import io.dmlp.jobs.domain.JobStatus;
import io.dmlp.jobs.domain.RayJob;
import io.dmlp.jobs.repository.RayJobRepository;
import io.dmlp.training.domain.Preprocess;
import io.dmlp.training.repository.PreprocessRepository;
import io.dmlp.training.repository.TrainingRunRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every tenant's completed models, in train id order, as {@code training.completed} described them (with the
 * {@code tenant_id} its envelope carries): what a consumer
 * of the events reads once to rebuild its view (inference-service on start), then follows the events.
 */
@ApplicationScoped
public class DeployableModels {

    /** A page of models; {@code nextAfter} continues the list, null at its end. */
    public record Page(List<Map<String, Object>> data, Long nextAfter) {
    }

    private final TrainingRunRepository runs;
    private final RayJobRepository jobs;
    private final TrainingJobs trainingJobs;
    private final PreprocessRepository preprocesses;

    public DeployableModels(TrainingRunRepository runs, RayJobRepository jobs, TrainingJobs trainingJobs,
            PreprocessRepository preprocesses) {
        this.runs = runs;
        this.preprocesses = preprocesses;
        this.jobs = jobs;
        this.trainingJobs = trainingJobs;
    }

    /** The completed models among the {@code limit} runs after train id {@code after}. */
    public Uni<Page> after(long after, int limit) {
        return Panache.withSession(() -> runs.after(after, limit).chain(page -> jobs.withIds(
                page.stream().map(run -> run.rayJobId).toList()).chain(found -> preprocesses.withIds(
                page.stream().map(run -> run.preprocessId).toList()).map(records -> {
                    Map<String, RayJob> byId = found.stream().collect(Collectors.toMap(job -> job.id,
                            Function.identity()));
                    Map<Long, Preprocess> preprocessById = records.stream().collect(Collectors.toMap(p -> p.id,
                            Function.identity()));
                    List<Map<String, Object>> models = page.stream()
                            .filter(run -> byId.containsKey(run.rayJobId)
                                    && byId.get(run.rayJobId).status == JobStatus.COMPLETED)
                            .map(run -> {
                                Map<String, Object> model = new LinkedHashMap<>(Map.of("tenant_id", run.tenantId));
                                model.putAll(trainingJobs.describe(run.id, run, preprocessById.get(run.preprocessId),
                                        byId.get(run.rayJobId)));
                                return model;
                            }).toList();
                    return new Page(models, page.size() < limit ? null : page.get(page.size() - 1).id);
                }))));
    }
}
