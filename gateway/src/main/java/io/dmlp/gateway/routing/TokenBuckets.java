package io.dmlp.gateway.routing;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One token bucket per key, in a map bounded twice: at most {@code maxKeys} entries (the least recently used
 * goes first), and an entry idle long enough to be full again is dropped, as a fresh bucket would be the same.
 */
final class TokenBuckets {

    private static final class Bucket {
        double tokens;
        long updatedNanos;
    }

    private final int capacity;
    private final double tokensPerNano;
    private final long refillNanos;
    /** In access order: the least recently used first, which is also the longest idle. */
    private final Map<String, Bucket> buckets;

    /** {@code capacity} tokens at most, {@code tokens} more every {@code periodNanos}. */
    TokenBuckets(int capacity, int tokens, long periodNanos, int maxKeys) {
        if (capacity < 1 || tokens < 1 || periodNanos < 1 || maxKeys < 1) {
            throw new IllegalArgumentException("capacity, tokens, period and max keys must be positive");
        }
        this.capacity = capacity;
        this.tokensPerNano = (double) tokens / periodNanos;
        this.refillNanos = (long) Math.ceil(capacity / tokensPerNano);
        this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                return size() > maxKeys;
            }
        };
    }

    /** Takes a token for {@code key}: 0 when granted, otherwise the nanoseconds until one is available. */
    synchronized long take(String key, long nowNanos) {
        forgetFull(nowNanos);
        Bucket bucket = buckets.get(key);
        if (bucket == null) {
            bucket = new Bucket();
            bucket.tokens = capacity;
            bucket.updatedNanos = nowNanos;
            buckets.put(key, bucket);
        } else {
            bucket.tokens = Math.min(capacity, bucket.tokens + (nowNanos - bucket.updatedNanos) * tokensPerNano);
            bucket.updatedNanos = nowNanos;
        }
        if (bucket.tokens >= 1) {
            bucket.tokens -= 1;
            return 0;
        }
        return (long) Math.ceil((1 - bucket.tokens) / tokensPerNano);
    }

    /** Drops the buckets idle long enough to be full again, longest idle first. */
    private void forgetFull(long nowNanos) {
        Iterator<Bucket> idlest = buckets.values().iterator();
        while (idlest.hasNext()) {
            if (nowNanos - idlest.next().updatedNanos < refillNanos) {
                return;
            }
            idlest.remove();
        }
    }

    synchronized int size() {
        return buckets.size();
    }
}
