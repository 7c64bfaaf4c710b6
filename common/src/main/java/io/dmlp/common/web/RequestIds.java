package io.dmlp.common.web;

import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.MDC;

/**
 * Request ids tie one client call to every log line it causes, across the gateway and the services.
 * The gateway sets {@value #HEADER} when the client did not; an id a client sends is kept when it is
 * short and plain, and replaced otherwise, so a header cannot inject text into our logs.
 */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    /** MDC key; log formats print it as {@code %X{request_id}}. */
    public static final String MDC_KEY = "request_id";

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private RequestIds() {
    }

    /** The id to use for a request that arrived with {@code incoming} (may be null). */
    public static String acceptOrCreate(String incoming) {
        return incoming != null && SAFE.matcher(incoming).matches() ? incoming : UUID.randomUUID().toString();
    }

    /** The id of the request being handled on this context, or null outside a request. */
    public static String current() {
        Object id = MDC.get(MDC_KEY);
        return id == null ? null : id.toString();
    }
}
