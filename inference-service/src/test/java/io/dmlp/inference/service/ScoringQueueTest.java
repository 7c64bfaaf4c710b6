package io.dmlp.inference.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Calls that meet a busy model share its next run; each still gets its own answer. */
class ScoringQueueTest {

    @Test
    void aCallOnAnIdleModelIsAnsweredAtOnceOnItsOwnThread() {
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        ScoringQueue<Integer, Integer> queue = new ScoringQueue<>(inputs -> {
            threads.add(Thread.currentThread().getName());
            return inputs.stream().map(i -> i * 10).toList();
        }, 8);

        assertThat(queue.submit(4).await().atMost(Duration.ofSeconds(1))).isEqualTo(40);
        assertThat(threads).containsExactly(Thread.currentThread().getName());
    }

    @Test
    void callsArrivingDuringARunShareTheNextOneAndKeepTheirOwnAnswers() throws Exception {
        CountDownLatch firstRunStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
        ScoringQueue<Integer, Integer> queue = new ScoringQueue<>(inputs -> {
            batchSizes.add(inputs.size());
            firstRunStarted.countDown();
            await(release);
            return inputs.stream().map(i -> i * 10).toList();
        }, 4);
        ExecutorService callers = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> first = callers.submit(() -> queue.submit(0).await().indefinitely());
            assertThat(firstRunStarted.await(5, TimeUnit.SECONDS)).isTrue();
            List<CompletableFuture<Integer>> waiting = new ArrayList<>();
            for (int i = 1; i <= 6; i++) {
                // Subscribing queues the call at once, behind the running batch, and returns.
                waiting.add(queue.submit(i).subscribe().asCompletionStage());
            }
            release.countDown();

            assertThat(first.get(5, TimeUnit.SECONDS)).isZero();
            for (int i = 1; i <= 6; i++) {
                assertThat(waiting.get(i - 1).get(5, TimeUnit.SECONDS)).isEqualTo(i * 10);
            }
            assertThat(batchSizes).containsExactly(1, 4, 2);
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void aFailedRunFailsEveryCallInItAndTheNextRunStillWorks() {
        ScoringQueue<Integer, Integer> queue = new ScoringQueue<>(inputs -> {
            if (inputs.contains(-1)) {
                throw new IllegalStateException("model could not predict");
            }
            return inputs;
        }, 8);

        assertThatThrownBy(() -> queue.submit(-1).await().atMost(Duration.ofSeconds(1)))
                .hasMessage("model could not predict");
        assertThat(queue.submit(5).await().atMost(Duration.ofSeconds(1))).isEqualTo(5);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
