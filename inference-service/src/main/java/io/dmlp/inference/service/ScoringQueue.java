package io.dmlp.inference.service;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Calls that reach one model while it is busy are scored together: an ONNX Runtime run costs about as much for one row
 * as for sixteen (its per-run and per-node overhead outweighs a row of tree lookups). The caller that finds the model
 * idle runs what is waiting, batch after batch, until nothing is; a caller that finds it busy only queues its input.
 * So an idle model adds no wait and no thread hop, and a busy one answers many calls per run. Answers are given
 * outside the run, so that another caller may start the next batch meanwhile.
 *
 * @param <I> one call's input
 * @param <O> one call's answer
 */
final class ScoringQueue<I, O> {

    private record Waiting<I, O>(I input, UniEmitter<? super O> answer) {
    }

    private final Queue<Waiting<I, O>> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private final Function<List<I>, List<O>> scorer;
    private final int maxBatch;

    /** {@code scorer}: the answers of a batch of inputs, in their order; it fails the whole batch by throwing. */
    ScoringQueue(Function<List<I>, List<O>> scorer, int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1");
        }
        this.scorer = scorer;
        this.maxBatch = maxBatch;
    }

    Uni<O> submit(I input) {
        return Uni.createFrom().emitter(answer -> {
            waiting.add(new Waiting<>(input, answer));
            drain();
        });
    }

    private void drain() {
        while (!waiting.isEmpty() && running.compareAndSet(false, true)) {
            List<Waiting<I, O>> batch = new ArrayList<>(maxBatch);
            List<O> answers = null;
            RuntimeException failure = null;
            try {
                for (Waiting<I, O> next; batch.size() < maxBatch && (next = waiting.poll()) != null;) {
                    batch.add(next);
                }
                List<I> inputs = new ArrayList<>(batch.size());
                batch.forEach(call -> inputs.add(call.input()));
                answers = scorer.apply(inputs);
            } catch (RuntimeException e) {
                failure = e;
            } finally {
                running.set(false);
            }
            for (int i = 0; i < batch.size(); i++) {
                if (failure == null) {
                    batch.get(i).answer().complete(answers.get(i));
                } else {
                    batch.get(i).answer().fail(failure);
                }
            }
        }
    }
}
