package io.dmlp.common.security.revocation;

import io.dmlp.common.security.Caller;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.util.Map;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** An endpoint that needs a valid access token, like every service's (default roles {@code **}). */
@Path("/probe/caller")
public class CallerProbeResource {

    private final JsonWebToken token;

    public CallerProbeResource(JsonWebToken token) {
        this.token = token;
    }

    @GET
    public Map<String, String> caller() {
        Caller caller = Caller.of(token);
        return Map.of("username", caller.username(), "session_id", caller.sessionId());
    }
}
