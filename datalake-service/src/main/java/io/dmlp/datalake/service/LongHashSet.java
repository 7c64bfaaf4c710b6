package io.dmlp.datalake.service;

import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * A set of 64-bit hashes in one primitive array (open addressing, linear probing, at most half full): 8 to 16
 * bytes per element and no boxing, whatever the size of the values hashed. Zero marks a free slot, so the hash 0
 * is remembered by a flag.
 */
final class LongHashSet {

    private long[] slots = new long[1024];
    private int size;
    private boolean hasZero;

    /** Whether the set did not hold {@code hash} before. */
    boolean add(long hash) {
        if (hash == 0) {
            boolean added = !hasZero;
            hasZero = true;
            size += added ? 1 : 0;
            return added;
        }
        if (2 * (size + 1) > slots.length) {
            grow();
        }
        int mask = slots.length - 1;
        for (int i = (int) (hash ^ (hash >>> 32)) & mask; ; i = (i + 1) & mask) {
            if (slots[i] == hash) {
                return false;
            }
            if (slots[i] == 0) {
                slots[i] = hash;
                size++;
                return true;
            }
        }
    }

    int size() {
        return size;
    }

    void forEach(LongConsumer hashes) {
        if (hasZero) {
            hashes.accept(0);
        }
        for (long hash : slots) {
            if (hash != 0) {
                hashes.accept(hash);
            }
        }
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        size = hasZero ? 1 : 0;
        Arrays.stream(old).filter(hash -> hash != 0).forEach(this::add);
    }
}
