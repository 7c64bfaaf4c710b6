package io.dmlp.inference.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmlp.inference.config.InferenceConfig;
import io.dmlp.inference.domain.DeployedModel;
import io.dmlp.inference.domain.PredictionType;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The real-time calls' rows of the prediction log, written away from the calls: a call only queues its row (bounded;
 * when full, the row is dropped and counted rather than the call slowed), and a scheduled flush inserts what waits,
 * in batches of one pipelined statement each.
 */
@ApplicationScoped
public class PredictionLog {

    /**
     * A real-time call as the log keeps it until the next flush: its request and answer as JSON text, a few hundred
     * bytes, where the parsed request tree would be several kilobytes held across young collections.
     */
    public record Call(DeployedModel model, String features, String answer, String createdBy, OffsetDateTime at) {
    }

    static final String INSERT = "insert into prediction (tenant_id, train_id, predictor_name, problem_type,"
            + " domain_name, prediction_type, input_data, output, no_of_records, accuracy, created_by, created_at)"
            + " values ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10, $11)";
    private static final Logger LOG = Logger.getLogger(PredictionLog.class);

    private final BlockingQueue<Call> waiting;
    private final int batchSize;
    private final Pool database;
    private final ObjectMapper json;
    private final AtomicLong dropped = new AtomicLong();

    public PredictionLog(InferenceConfig config, Pool database, ObjectMapper json) {
        this.waiting = new ArrayBlockingQueue<>(config.predictionLog().capacity());
        this.batchSize = config.predictionLog().batchSize();
        this.database = database;
        this.json = json;
    }

    /** Queues the call's row; never blocks. */
    public void record(DeployedModel model, JsonNode features, Object answer, String createdBy, OffsetDateTime at) {
        if (waiting.remainingCapacity() == 0
                || !waiting.offer(new Call(model, write(features), write(answer), createdBy, at))) {
            dropped.incrementAndGet();
        }
    }

    /** Writes every row waiting, a batch at a time. */
    @Scheduled(every = "${dmlp.inference.prediction-log.flush-every:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> flush() {
        long lost = dropped.getAndSet(0);
        if (lost > 0) {
            LOG.warnf("The prediction log was full: %d real-time call(s) were not logged", lost);
        }
        List<Call> batch = new ArrayList<>(batchSize);
        waiting.drainTo(batch, batchSize);
        if (batch.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return database.preparedQuery(INSERT).executeBatch(batch.stream().map(this::row).toList())
                .onFailure().invoke(e -> LOG.errorf("%d real-time call(s) could not be logged: %s", batch.size(),
                        e.getMessage()))
                .onFailure().recoverWithNull()
                .chain(() -> batch.size() == batchSize ? flush() : Uni.createFrom().voidItem());
    }

    private Tuple row(Call call) {
        DeployedModel model = call.model();
        return Tuple.tuple().addUUID(model.tenantId()).addLong(model.trainId()).addString(model.predictorName())
                .addString(model.problemType()).addString(model.domainName())
                .addString(PredictionType.realtime.name()).addString(call.features())
                .addString(call.answer()).addDouble(model.accuracy()).addString(call.createdBy())
                .addOffsetDateTime(call.at());
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
