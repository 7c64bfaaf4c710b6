package io.dmlp.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TokenBucketsTest {

    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

    @Test
    void aBurstThenOneRequestPerRefillInterval() {
        TokenBuckets buckets = new TokenBuckets(10, 10, MINUTE, 100);
        for (int i = 0; i < 10; i++) {
            assertThat(buckets.take("a", 0)).isZero();
        }

        long wait = buckets.take("a", 0);

        assertThat(wait).isCloseTo(TimeUnit.SECONDS.toNanos(6), within(1000L));
        assertThat(buckets.take("a", TimeUnit.SECONDS.toNanos(5))).isCloseTo(TimeUnit.SECONDS.toNanos(1), within(1000L));
        assertThat(buckets.take("a", TimeUnit.SECONDS.toNanos(6) + 1000)).isZero();
        assertThat(buckets.take("b", 0)).as("another key has its own bucket").isZero();
    }

    @Test
    void refusedRequestsDoNotDeepenTheDebt() {
        TokenBuckets buckets = new TokenBuckets(1, 1, MINUTE, 100);
        buckets.take("a", 0);
        for (int i = 0; i < 50; i++) {
            buckets.take("a", 0);
        }

        assertThat(buckets.take("a", MINUTE + 1000)).isZero();
    }

    @Test
    void theMapStaysBoundedByKeysAndForgetsIdleOnes() {
        TokenBuckets buckets = new TokenBuckets(2, 2, MINUTE, 1000);
        for (int i = 0; i < 5000; i++) {
            buckets.take("client-" + i, 0);
        }
        assertThat(buckets.size()).isEqualTo(1000);

        // A minute later every bucket is full again, as good as none: the next request forgets them.
        buckets.take("late", MINUTE);
        assertThat(buckets.size()).isEqualTo(1);
    }
}
