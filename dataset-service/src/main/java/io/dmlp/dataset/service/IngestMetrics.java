package io.dmlp.dataset.service;

import io.dmlp.dataset.domain.DatasetFile;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * What ingest did, for operators (Prometheus at {@code /q/metrics}): bytes and rows taken in, files by validity,
 * and how long uploads take by outcome.
 */
@ApplicationScoped
public class IngestMetrics {

    private final MeterRegistry registry;
    private final Counter bytes;
    private final Counter validRows;
    private final Counter invalidRows;
    private final Counter validFiles;
    private final Counter invalidFiles;

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.bytes = Counter.builder("dmlp.ingest.bytes").baseUnit("bytes")
                .description("Bytes of CSV files recorded in datasets").register(registry);
        this.validRows = rows(registry, "valid");
        this.invalidRows = rows(registry, "invalid");
        this.validFiles = files(registry, "true");
        this.invalidFiles = files(registry, "false");
    }

    /** Starts timing one upload (a new dataset or files added to one). */
    public Timer.Sample start() {
        return Timer.start(registry);
    }

    /** The upload's files are recorded (and committed to the silver table). */
    public void recorded(Timer.Sample upload, List<DatasetFile> files) {
        for (DatasetFile file : files) {
            bytes.increment(file.sizeBytes);
            validRows.increment(file.validRecords);
            invalidRows.increment(file.totalRecords - file.validRecords);
            (file.valid ? validFiles : invalidFiles).increment();
        }
        upload.stop(timer("recorded"));
    }

    /** The upload failed and left nothing behind. */
    public void failed(Timer.Sample upload) {
        upload.stop(timer("failed"));
    }

    private Timer timer(String outcome) {
        return Timer.builder("dmlp.ingest.duration").description("Uploads from the first byte read to the commit")
                .tag("outcome", outcome).register(registry);
    }

    private static Counter rows(MeterRegistry registry, String result) {
        return Counter.builder("dmlp.ingest.rows").description("Data rows validated").tag("result", result)
                .register(registry);
    }

    private static Counter files(MeterRegistry registry, String valid) {
        return Counter.builder("dmlp.ingest.files").description("Files recorded, by validity").tag("valid", valid)
                .register(registry);
    }
}
