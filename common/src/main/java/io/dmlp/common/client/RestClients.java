package io.dmlp.common.client;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Builds a Quarkus REST Client for an interface the one way DMLP uses them: its base URL from the platform's own
 * configuration, bounded connect and read times, and every status handed to the caller (no exception mapper), who
 * decides what a 404 or a 500 of that dependency means.
 *
 * <p>A client's {@code Uni} completes on the Vert.x context it was subscribed on (an event loop for a reactive
 * endpoint), so what follows a call must not block: file, S3 or Iceberg work goes through
 * {@code vertx.executeBlocking}.
 */
public final class RestClients {

    private RestClients() {
    }

    public static <A> A build(Class<A> api, String baseUrl, Duration connectTimeout, Duration readTimeout) {
        return QuarkusRestClientBuilder.newBuilder().baseUri(URI.create(baseUrl))
                .connectTimeout(connectTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(readTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .disableDefaultMapper(true)
                .build(api);
    }
}
