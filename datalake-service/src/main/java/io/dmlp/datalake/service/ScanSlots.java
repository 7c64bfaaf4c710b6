package io.dmlp.datalake.service;

import io.dmlp.common.error.TooManyRequestsException;
import io.dmlp.datalake.config.DatalakeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * At most {@link DatalakeConfig#concurrentScans()} column scans at once in this service: each holds memory and a
 * worker thread for as long as it reads a table, so more would only queue on the same cores or exhaust the heap.
 * One more is refused at once (429 with Retry-After) rather than queued.
 */
@ApplicationScoped
public class ScanSlots {

    private final Semaphore slots;
    private final DatalakeConfig config;

    public ScanSlots(DatalakeConfig config) {
        this.config = config;
        this.slots = new Semaphore(config.concurrentScans());
    }

    public <T> T scan(Supplier<T> scan) {
        if (!slots.tryAcquire()) {
            throw new TooManyRequestsException(config.concurrentScans() + " column scans are running, the most this "
                    + "service runs at once; try again shortly.", Math.max(1, config.scanRetryAfter().toSeconds()));
        }
        try {
            return scan.get();
        } finally {
            slots.release();
        }
    }
}
