package io.dmlp.gateway.routing;

import io.dmlp.common.web.RequestIds;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyResponse;
import java.util.List;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Answers in the error body, naming the service, when a service cannot be reached (the proxy's own 502 is empty).
 * A client that went away before the service answered is not the service's failure and is not logged as one.
 */
final class UnreachableUpstream implements ProxyInterceptor {

    private static final Logger LOG = Logger.getLogger(UnreachableUpstream.class);

    private static final Pattern QUERY = Pattern.compile("\\?\\S*");

    private final String service;

    UnreachableUpstream(String service) {
        this.service = service;
    }

    @Override
    public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
        return context.sendRequest().recover(failure -> {
            HttpServerRequest client = context.request().proxiedRequest();
            if (client.response().closed()) {
                // The client left first (a closed tab, a load generator stopping): the proxy dropped the service's
                // exchange with it, so the service is fine and nobody is there to answer.
                LOG.debugf("%s %s: the client left before %s answered", client.method(), client.path(), service);
                return Future.failedFuture(failure);
            }
            String requestId = context.request().headers().get(RequestIds.HEADER);
            // Paths only: a query string may carry a token or a password (and some client errors quote the URI).
            LOG.warnf("%s %s: %s is not reachable: %s", context.request().getMethod(),
                    context.request().proxiedRequest().path(), service, withoutQuery(failure.getMessage()));
            ProxyResponse response = context.request().response()
                    .setStatusCode(502)
                    .setStatusMessage("Bad Gateway")
                    .putHeader("Content-Type", "application/json")
                    .setBody(Body.body(ErrorResponses.body(502,
                            service + " is not reachable; try again shortly.", List.of(), requestId)));
            return Future.succeededFuture(response);
        });
    }

    static String withoutQuery(String message) {
        return message == null ? null : QUERY.matcher(message).replaceAll("");
    }
}
