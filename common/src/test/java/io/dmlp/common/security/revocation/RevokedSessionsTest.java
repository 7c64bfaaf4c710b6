package io.dmlp.common.security.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RevokedSessionsTest {

    private static final Duration RETENTION = Duration.ofMinutes(16);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T12:00:00Z"));

    @Test
    void anEndedSessionIsRefusedUntilItsTokensHaveExpired() {
        RevokedSessions sessions = new RevokedSessions(RETENTION, 10, clock);

        assertThat(sessions.add("s1", clock.instant())).isTrue();
        assertThat(sessions.isEnded("s1")).isTrue();
        assertThat(sessions.isEnded("s2")).isFalse();

        clock.advance(RETENTION.minusSeconds(1));
        assertThat(sessions.isEnded("s1")).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(sessions.isEnded("s1")).isFalse();
        sessions.prune();
        assertThat(sessions.size()).isZero();
    }

    @Test
    void anEndingOlderThanTheTokenLifetimeIsNotRemembered() {
        RevokedSessions sessions = new RevokedSessions(RETENTION, 10, clock);

        assertThat(sessions.add("old", clock.instant().minus(RETENTION).minusSeconds(1))).isFalse();
        assertThat(sessions.isEnded("old")).isFalse();
        assertThat(sessions.size()).isZero();
    }

    @Test
    void aRedeliveredEndingChangesNothing() {
        RevokedSessions sessions = new RevokedSessions(RETENTION, 10, clock);

        assertThat(sessions.add("s1", clock.instant())).isTrue();
        assertThat(sessions.add("s1", clock.instant())).isFalse();
        assertThat(sessions.size()).isEqualTo(1);
    }

    @Test
    void aFullSetForgetsTheEndingsClosestToExpiryAndCountsThem() {
        RevokedSessions sessions = new RevokedSessions(RETENTION, 3, clock);
        Instant now = clock.instant();
        sessions.add("newest", now);
        sessions.add("oldest", now.minus(Duration.ofMinutes(10)));
        sessions.add("middle", now.minus(Duration.ofMinutes(5)));

        sessions.add("flood-1", now);
        sessions.add("flood-2", now);

        assertThat(sessions.size()).isEqualTo(3);
        assertThat(sessions.evictedEarly()).isEqualTo(2);
        assertThat(sessions.isEnded("oldest")).isFalse();
        assertThat(sessions.isEnded("middle")).isFalse();
        assertThat(sessions.isEnded("newest")).isTrue();
    }

    @Test
    void expiredEndingsMakeRoomBeforeAnyLiveOneIsForgotten() {
        RevokedSessions sessions = new RevokedSessions(RETENTION, 2, clock);
        sessions.add("s1", clock.instant());
        sessions.add("s2", clock.instant());
        clock.advance(RETENTION);

        sessions.add("s3", clock.instant());
        sessions.add("s4", clock.instant());

        assertThat(sessions.evictedEarly()).isZero();
        assertThat(sessions.isEnded("s3")).isTrue();
        assertThat(sessions.isEnded("s4")).isTrue();
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
