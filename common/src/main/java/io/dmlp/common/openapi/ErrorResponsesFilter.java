package io.dmlp.common.openapi;

import io.dmlp.common.error.ErrorMapping;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Documents the error answers every operation can give before or around its own code, in the one error body
 * ({@link io.dmlp.common.error.ErrorBody}): a malformed or invalid request (400, 422), a missing or bad token
 * (401), a missing permission (403), an unknown resource, path or parameter value (404), an {@code Accept}
 * the operation cannot satisfy (406), a dependency that is down (503), and for operations with a body one over
 * the limit (413) or of a media type they do not read (415); and the HTTP server's bodiless 414 for a request
 * line too long. An operation that declares {@code security: []}
 * is public and gets neither 401 nor 403 (unless it declares them: a log-in refuses bad credentials with 401); any
 * other operation is documented as needing the bearer token, as every endpoint does unless it says otherwise
 * ({@code quarkus.security.jaxrs.default-roles-allowed}). Statuses only some operations give (409, 429, 504) are declared on those
 * operations with a reference to the responses registered here, e.g.
 * {@code @APIResponse(responseCode = "409", ref = ErrorResponsesFilter.CONFLICT)}; such an operation states
 * its success response too ({@code @APIResponseSchema}), because the scanner drops its default one then.
 * Registered for every service by {@code mp.openapi.filter} in common's configuration.
 */
public class ErrorResponsesFilter implements OASFilter {

    /** The component schema of the error body. */
    public static final String ERROR_BODY = "ErrorBody";
    /** Reusable responses for {@code @APIResponse(ref = ...)}: the error body with the status's reason. */
    public static final String CONFLICT = "Conflict";
    public static final String TOO_MANY_REQUESTS = "TooManyRequests";
    public static final String GATEWAY_TIMEOUT = "GatewayTimeout";
    public static final String UNAUTHORIZED = "Unauthorized";

    private static final List<Integer> EVERY_OPERATION = List.of(400, 401, 403, 404, 406, 422, 503);
    private static final List<Integer> WITH_A_BODY = List.of(413, 415);
    private static final Map<Integer, String> MEANING = Map.ofEntries(
            Map.entry(400, "Malformed request: unreadable body or parameter."),
            Map.entry(401, "No valid access token (missing, expired, ended session, wrong audience or issuer)."),
            Map.entry(403, "The caller's permissions do not cover this operation."),
            Map.entry(404, "No such resource in the caller's tenant, or a path or parameter value that names none."),
            Map.entry(406, "None of the media types in Accept can be produced."),
            Map.entry(409, "Conflicts with the current state: the name is taken, or the resource is in use."),
            Map.entry(413, "The body is larger than the operation accepts."),
            Map.entry(415, "The body's media type is not one the operation reads."),
            Map.entry(422, "Well-formed but invalid input; details name the fields."),
            Map.entry(429, "Too many attempts; Retry-After says when to try again."),
            Map.entry(503, "A dependency (database, object store, Ray, another service) is unavailable; retry later."),
            Map.entry(504, "Work the operation started (a Ray job) did not finish within its wait; the message names it."));
    private static final Map<String, Integer> SHARED = Map.of(CONFLICT, 409, TOO_MANY_REQUESTS, 429,
            GATEWAY_TIMEOUT, 504, UNAUTHORIZED, 401);

    @Override
    public void filterOpenAPI(OpenAPI openApi) {
        Components components = openApi.getComponents() != null ? openApi.getComponents()
                : openApi.components(OASFactory.createComponents()).getComponents();
        components.addSchema(ERROR_BODY, errorBody());
        SHARED.forEach((name, status) -> components.addResponse(name, errorResponse(status)));
        if (openApi.getPaths() == null || openApi.getPaths().getPathItems() == null) {
            return;
        }
        List<String> schemes = components.getSecuritySchemes() == null ? List.of()
                : List.copyOf(components.getSecuritySchemes().keySet());
        openApi.getPaths().getPathItems().values().forEach(item -> item.getOperations().values().forEach(operation -> {
            if (operation.getSecurity() == null && schemes.size() == 1) {
                operation.addSecurityRequirement(OASFactory.createSecurityRequirement().addScheme(schemes.get(0)));
            }
            addStandardErrors(operation);
        }));
    }

    private static void addStandardErrors(Operation operation) {
        APIResponses responses = operation.getResponses() != null ? operation.getResponses()
                : operation.responses(OASFactory.createAPIResponses()).getResponses();
        // An operation that declares no security (security: []) is public: no token to refuse, no permission to lack.
        boolean open = operation.getSecurity() != null && operation.getSecurity().isEmpty();
        EVERY_OPERATION.stream().filter(status -> !open || (status != 401 && status != 403))
                .forEach(status -> addIfAbsent(responses, status));
        if (operation.getRequestBody() != null) {
            WITH_A_BODY.forEach(status -> addIfAbsent(responses, status));
        }
        if (!responses.hasAPIResponse("414")) {
            // The HTTP server's own answer, before any of our code: no body.
            responses.addAPIResponse("414", OASFactory.createAPIResponse()
                    .description("The request line (path and query) is longer than the server reads."));
        }
    }

    /** Adds the status, or the error body to one declared without content (e.g. Quarkus's own 400 for @Valid). */
    private static void addIfAbsent(APIResponses responses, int status) {
        var declared = responses.getAPIResponse(Integer.toString(status));
        if (declared == null) {
            responses.addAPIResponse(Integer.toString(status), errorResponse(status));
        } else if (declared.getRef() == null && (declared.getContent() == null
                || declared.getContent().getMediaTypes() == null || declared.getContent().getMediaTypes().isEmpty())) {
            declared.content(errorResponse(status).getContent());
        }
    }

    private static org.eclipse.microprofile.openapi.models.responses.APIResponse errorResponse(int status) {
        return OASFactory.createAPIResponse().description(MEANING.getOrDefault(status, ErrorMapping.reason(status)))
                .content(OASFactory.createContent().addMediaType("application/json", OASFactory.createMediaType()
                        .schema(OASFactory.createSchema().ref(ERROR_BODY))));
    }

    private static Schema errorBody() {
        return OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("The one error body of every service and the gateway.")
                .addProperty("status_code", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER)
                        .description("The HTTP status, repeated."))
                .addProperty("message", OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                        .description("What was wrong, for a person."))
                .addProperty("details", OASFactory.createSchema().addType(Schema.SchemaType.ARRAY)
                        .items(OASFactory.createSchema())
                        .description("Structured detail (field errors, failing components); left out when empty."))
                .addProperty("request_id", OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                        .description("The request id the gateway assigned; quote it when reporting a problem."))
                .required(List.of("status_code", "message"));
    }
}
