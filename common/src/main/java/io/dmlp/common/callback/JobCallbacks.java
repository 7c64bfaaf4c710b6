package io.dmlp.common.callback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmlp.common.error.BadRequestException;
import io.dmlp.common.error.ConflictException;
import io.dmlp.common.error.NotAuthenticatedException;
import io.dmlp.common.error.PayloadTooLargeException;
import io.dmlp.common.security.JobCredential;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Receives a Ray job's callback (its result posted back) in the order that keeps an anonymous caller cheap:
 * <ol>
 * <li>the job credential ({@code Authorization: Bearer <job token>}, see {@link JobCredential}) is checked
 * before a byte of the body is read: 401 otherwise, also for an unknown job, so a caller learns nothing;</li>
 * <li>a job that already ended answers 409 (a replay), still without reading the body;</li>
 * <li>then at most {@link #MAX_BODY_BYTES} are read, counted on the bytes actually received whatever
 * {@code Content-Length} says (413 beyond), and parsed as JSON (400 when it is not).</li>
 * </ol>
 * When it answers before the body was read to its end, the connection is closed after the answer, so an unread
 * body is never drained. The resource method must take no body parameter (the framework would read it first)
 * and hand over the Vert.x routing context: {@code @Context RoutingContext context}.
 */
@ApplicationScoped
public class JobCallbacks {

    /** 1 MiB: a job's result is a summary, never data. */
    public static final int MAX_BODY_BYTES = 1024 * 1024;

    /** A callback whose credential matched {@code job} and whose body was read. */
    public record Received<J>(J job, JsonNode body) {
    }

    private final ObjectMapper json;

    public JobCallbacks(ObjectMapper json) {
        this.json = json;
    }

    /**
     * @param jobWithCredentialHash finds the job whose stored credential hash is the given one (null when none)
     * @param finished whether a job already ended, so that a result for it is a replay
     */
    public <J> Uni<Received<J>> receive(RoutingContext context, Function<String, Uni<J>> jobWithCredentialHash,
            Predicate<J> finished) {
        HttpServerRequest request = context.request();
        request.pause(); // nothing is read while the credential is checked
        context.addEndHandler(ignored -> {
            if (!request.isEnded() && request.version() != HttpVersion.HTTP_2) {
                request.connection().close();
            }
        });
        String hash = JobCredential.presentedHash(request.getHeader(HttpHeaders.AUTHORIZATION)).orElse(null);
        Uni<J> job = hash == null ? Uni.createFrom().nullItem() : jobWithCredentialHash.apply(hash);
        return job.chain(found -> {
            if (found == null) {
                refuseBody(request);
                return Uni.createFrom().failure(
                        new NotAuthenticatedException("This callback needs the job's credential."));
            }
            if (finished.test(found)) {
                refuseBody(request);
                return Uni.createFrom().failure(
                        new ConflictException("This job already ended; its result was received."));
            }
            return body(request).map(body -> new Received<>(found, body));
        });
    }

    /** Reads at most {@link #MAX_BODY_BYTES} of the body and parses it. */
    private Uni<JsonNode> body(HttpServerRequest request) {
        return Uni.createFrom().<Buffer>emitter(emitter -> {
            Buffer body = Buffer.buffer();
            request.handler(chunk -> {
                if (body.length() + chunk.length() > MAX_BODY_BYTES) {
                    request.handler(null).endHandler(null).pause();
                    refuseBody(request);
                    emitter.fail(new PayloadTooLargeException("A callback body may hold at most " + MAX_BODY_BYTES
                            + " bytes."));
                } else {
                    body.appendBuffer(chunk);
                }
            });
            request.exceptionHandler(emitter::fail);
            request.endHandler(ignored -> emitter.complete(body));
            request.resume();
        }).map(this::parse);
    }

    private JsonNode parse(Buffer body) {
        try {
            return json.readTree(body.getBytes());
        } catch (IOException e) {
            throw new BadRequestException("The callback body is not JSON.");
        }
    }

    /** Answering before the body is read: say so, and the connection closes once the answer is written. */
    private static void refuseBody(HttpServerRequest request) {
        if (request.version() != HttpVersion.HTTP_2) {
            request.response().putHeader(HttpHeaders.CONNECTION, "close");
        }
    }
}
