package io.dmlp.common.security.revocation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The sessions that ended while their access tokens may still be unexpired: a set bounded in size whose entries
 * expire {@code retention} after the session ended. Every authenticated request looks a session up (lock-free);
 * endings are added by one Kafka consumer thread.
 */
public final class RevokedSessions {

    private static final Logger LOG = Logger.getLogger(RevokedSessions.class);
    private static final long WARNING_INTERVAL_MS = Duration.ofMinutes(1).toMillis();

    private record Entry(String sessionId, long expiresAt) {
    }

    private final ConcurrentHashMap<String, Long> expiryBySession = new ConcurrentHashMap<>();
    /** Soonest expiry first: what is pruned, and what goes first when the set is full. Guarded by this. */
    private final PriorityQueue<Entry> byExpiry = new PriorityQueue<>(Comparator.comparingLong(Entry::expiresAt));
    private final long retentionMs;
    private final int maxEntries;
    private final Clock clock;
    private long evictedEarly;
    private long nextWarningAt;

    /**
     * @param retention  how long after its ending a session's tokens may still be presented (token lifetime and
     *                   clock slack)
     * @param maxEntries most sessions remembered at once
     */
    public RevokedSessions(Duration retention, int maxEntries, Clock clock) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        this.retentionMs = retention.toMillis();
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    /** Whether {@code sessionId} ended recently enough that its tokens must be refused. */
    public boolean isEnded(String sessionId) {
        Long expiresAt = expiryBySession.get(sessionId);
        return expiresAt != null && expiresAt > clock.millis();
    }

    /**
     * Remembers that {@code sessionId} ended at {@code endedAt}.
     *
     * @return false when the ending is too old to matter or already known (a redelivery)
     */
    public synchronized boolean add(String sessionId, Instant endedAt) {
        long now = clock.millis();
        long expiresAt = endedAt.toEpochMilli() + retentionMs;
        if (expiresAt <= now) {
            return false;
        }
        prune(now);
        if (expiryBySession.putIfAbsent(sessionId, expiresAt) != null) {
            return false;
        }
        byExpiry.add(new Entry(sessionId, expiresAt));
        while (byExpiry.size() > maxEntries) {
            expiryBySession.remove(byExpiry.poll().sessionId());
            evictedEarly++;
            warnEvictedEarly(now);
        }
        return true;
    }

    /** Forgets the sessions whose tokens have all expired. */
    public synchronized void prune() {
        prune(clock.millis());
    }

    private void prune(long now) {
        while (!byExpiry.isEmpty() && byExpiry.peek().expiresAt() <= now) {
            expiryBySession.remove(byExpiry.poll().sessionId());
        }
    }

    public int size() {
        return expiryBySession.size();
    }

    /** How many sessions were forgotten before their tokens expired because the set was full. */
    public synchronized long evictedEarly() {
        return evictedEarly;
    }

    /** Once a minute at most: a flood must not become a flood of log lines too. */
    private void warnEvictedEarly(long now) {
        if (now >= nextWarningAt) {
            nextWarningAt = now + WARNING_INTERVAL_MS;
            LOG.warnf("The revocation set is full (%d sessions): forgetting the endings closest to expiry early"
                    + " (%d so far). Their tokens are accepted again until they expire; raise"
                    + " dmlp.revocation.max-entries or find who ends so many sessions.", maxEntries, evictedEarly);
        }
    }
}
