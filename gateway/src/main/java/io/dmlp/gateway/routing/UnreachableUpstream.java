package io.dmlp.gateway.routing;

import io.dmlp.common.web.RequestIds;
import io.vertx.core.Future;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyResponse;
import java.util.List;
import org.jboss.logging.Logger;

/** Answers in the error body, naming the service, when a service cannot be reached (the proxy's own 502 is empty). */
final class UnreachableUpstream implements ProxyInterceptor {

    private static final Logger LOG = Logger.getLogger(UnreachableUpstream.class);

    private final String service;

    UnreachableUpstream(String service) {
        this.service = service;
    }

    @Override
    public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
        return context.sendRequest().recover(failure -> {
            String requestId = context.request().headers().get(RequestIds.HEADER);
            LOG.warnf("[req:%s] %s %s: %s is not reachable: %s", requestId, context.request().getMethod(),
                    context.request().getURI(), service, failure.getMessage());
            ProxyResponse response = context.request().response()
                    .setStatusCode(502)
                    .setStatusMessage("Bad Gateway")
                    .putHeader("Content-Type", "application/json")
                    .setBody(Body.body(ErrorResponses.body(502,
                            service + " is not reachable; try again shortly.", List.of(), requestId)));
            return Future.succeededFuture(response);
        });
    }
}
