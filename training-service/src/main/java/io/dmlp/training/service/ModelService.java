package io.dmlp.training.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmlp.common.error.ConflictException;
import io.dmlp.common.error.ResourceNotFoundException;
import io.dmlp.common.security.Caller;
import io.dmlp.common.security.Permission;
import io.dmlp.jobs.domain.JobKind;
import io.dmlp.jobs.domain.RayJob;
import io.dmlp.jobs.repository.RayJobRepository;
import io.dmlp.jobs.service.JobLifecycle;
import io.dmlp.training.domain.TrainingRun;
import io.dmlp.training.event.ModelEvents;
import io.dmlp.training.repository.PreprocessRepository;
import io.dmlp.training.repository.TrainingRunRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/** A tenant's runs and models: list, refresh from Ray, summary, schema, switching preprocess record, delete. */
@ApplicationScoped
public class ModelService {

    /** A run with its job (state, result), as the list and the summary show it. */
    public record RunView(TrainingRun run, RayJob job, JsonNode result) {
    }

    public record Page(long total, List<RunView> runs) {
    }

    private final TrainingRunRepository runs;
    private final TrainingRuns lookup;
    private final PreprocessRepository preprocesses;
    private final RayJobRepository jobs;
    private final JobLifecycle lifecycle;
    private final FeatureImportanceService importance;
    private final ModelArtifacts artifacts;
    private final ModelEvents events;
    private final ModelViews views;
    private final Vertx vertx;

    public ModelService(TrainingRunRepository runs, TrainingRuns lookup, PreprocessRepository preprocesses,
            RayJobRepository jobs, JobLifecycle lifecycle, FeatureImportanceService importance,
            ModelArtifacts artifacts, ModelEvents events, ModelViews views, Vertx vertx) {
        this.runs = runs;
        this.lookup = lookup;
        this.preprocesses = preprocesses;
        this.jobs = jobs;
        this.lifecycle = lifecycle;
        this.importance = importance;
        this.artifacts = artifacts;
        this.events = events;
        this.views = views;
        this.vertx = vertx;
    }

    /** A page of the caller's runs, newest first, each with its job's state as last recorded. */
    public Uni<Page> list(Caller caller, int skip, int limit) {
        caller.require(Permission.VIEW);
        UUID tenantId = UUID.fromString(caller.tenantId());
        return Panache.withSession(() -> runs.count(tenantId).chain(total -> runs.page(tenantId, skip, limit)
                .chain(page -> jobs.withIds(page.stream().map(run -> run.rayJobId).toList()).map(found -> {
                    Map<String, RayJob> byId = found.stream().collect(Collectors.toMap(job -> job.id,
                            Function.identity()));
                    return new Page(total, page.stream().map(run -> view(run, byId.get(run.rayJobId))).toList());
                }))));
    }

    /** As {@link #list}, after comparing each of the caller's unfinished jobs with Ray. */
    public Uni<Page> refresh(Caller caller, int skip, int limit) {
        caller.require(Permission.VIEW);
        return Panache.withSession(() -> runs.unfinishedJobs(UUID.fromString(caller.tenantId())))
                .onItem().transformToMulti(ids -> Multi.createFrom().iterable(ids))
                .onItem().transformToUniAndConcatenate(lifecycle::refresh)
                .collect().asList()
                .chain(() -> list(caller, skip, limit));
    }

    /** One of the caller's runs with its job, brought up to date with Ray when unfinished. */
    public Uni<RunView> get(Caller caller, long trainId) {
        caller.require(Permission.VIEW);
        return Panache.withSession(() -> lookup.visible(caller, trainId))
                .chain(run -> lifecycle.refresh(run.rayJobId).map(job -> view(run, job)));
    }

    /** The columns and types the model reads: its result's schema once trained, the planned inputs before. */
    public Uni<JsonNode> schema(Caller caller, long trainId) {
        return get(caller, trainId).chain(view -> view.result() != null
                ? Uni.createFrom().item(view.result().path("schema"))
                : Panache.withSession(() -> preprocesses.findById(view.run().preprocessId))
                        .map(preprocess -> views.read(preprocess.features)));
    }

    /**
     * Points the model at another preprocess record of the tenant: 404 for an unknown one, 409 unless it reads the
     * same inputs and target. Announced as {@code model.updated}.
     */
    public Uni<TrainingRun> update(Caller caller, long trainId, long preprocessId) {
        caller.require(Permission.TRAIN_MODELS);
        UUID tenantId = UUID.fromString(caller.tenantId());
        return Panache.withTransaction(() -> lookup.visible(caller, trainId)
                .chain(run -> preprocesses.findById(run.preprocessId)
                        .chain(current -> preprocesses.find(tenantId, preprocessId).chain(next -> {
                            if (next == null) {
                                throw new ResourceNotFoundException("Preprocess " + preprocessId + " not found.");
                            }
                            if (!sameInputs(current.features, next.features)
                                    || !views.read(current.target).equals(views.read(next.target))) {
                                throw new ConflictException("Preprocess " + preprocessId + " does not fit model "
                                        + trainId + ": it must read the same feature columns and target ("
                                        + current.features + " → " + current.target + ").");
                            }
                            long previous = run.preprocessId;
                            run.preprocessId = next.id;
                            run.modifiedAt = OffsetDateTime.now(ZoneOffset.UTC);
                            return events.updated(run, previous).replaceWith(run);
                        }))));
    }

    /**
     * Deletes a run: its Ray job is stopped when unfinished, its SHAP jobs and artifacts removed, and the deletion
     * announced ({@code model.deleted}). Runs continued from it keep their own models and lose only the link.
     */
    public Uni<Void> delete(Caller caller, long trainId) {
        caller.require(Permission.TRAIN_MODELS);
        return Panache.withSession(() -> lookup.visible(caller, trainId)
                .chain(run -> jobs.findById(run.rayJobId).map(job -> new RunView(run, job, null))))
                .call(view -> view.job().status.terminal() ? Uni.createFrom().voidItem()
                        : lifecycle.cancel(view.run().tenantId, view.job().id)
                                .onFailure(ConflictException.class).recoverWithNull().replaceWithVoid())
                .call(view -> Panache.withSession(() -> jobs.owned(JobKind.SHAP, view.run().id.toString()))
                        .chain(owned -> owned.isEmpty() ? Uni.createFrom().voidItem()
                                : importance.forget(owned)))
                .call(view -> vertx.executeBlocking(Uni.createFrom().item(() -> {
                    artifacts.delete(view.run());
                    return null;
                }), false))
                .call(view -> Panache.withTransaction(() -> runs.findById(view.run().id).chain(run -> {
                    if (run == null) {
                        throw new ResourceNotFoundException("Training run " + trainId + " not found.");
                    }
                    run.modifiedAt = OffsetDateTime.now(ZoneOffset.UTC);
                    return events.deleted(run).chain(() -> runs.delete(run))
                            .chain(() -> runs.usingPreprocess(run.preprocessId))
                            .chain(users -> users > 0 ? Uni.createFrom().item(false)
                                    : preprocesses.deleteById(run.preprocessId));
                })))
                .replaceWithVoid();
    }

    private RunView view(TrainingRun run, RayJob job) {
        return new RunView(run, job, job == null ? null : views.read(job.result));
    }

    /** Whether two preprocess records read the same columns with the same types (in any order). */
    private boolean sameInputs(String a, String b) {
        return Set.copyOf(views.readList(a, Map.class)).equals(Set.copyOf(views.readList(b, Map.class)));
    }
}
