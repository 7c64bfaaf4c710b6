package io.dmlp.common.web;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Puts the caller's request id into the logging context for the whole request and echoes it on the
 * response. Pre-matching, so requests that match no endpoint are covered too.
 */
public class RequestIdFilter {

    @ServerRequestFilter(preMatching = true)
    public void enter(ContainerRequestContext request) {
        String id = RequestIds.acceptOrCreate(request.getHeaderString(RequestIds.HEADER));
        request.getHeaders().putSingle(RequestIds.HEADER, id);
        MDC.put(RequestIds.MDC_KEY, id);
    }

    @ServerResponseFilter
    public void leave(ContainerRequestContext request, ContainerResponseContext response) {
        response.getHeaders().putSingle(RequestIds.HEADER, request.getHeaderString(RequestIds.HEADER));
    }
}
