package io.dmlp.common.security;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.util.Map;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Endpoints guarded by annotation and in code, as services guard theirs. */
@Path("/probe/roles")
public class RolesProbeResource {

    private final JsonWebToken token;

    public RolesProbeResource(JsonWebToken token) {
        this.token = token;
    }

    @GET
    @Path("/train")
    @RolesAllowed(Permission.Names.TRAIN_MODELS)
    public Map<String, Boolean> train() {
        return Map.of("platform_admin", Caller.of(token).isPlatformAdmin());
    }

    @GET
    @Path("/operate")
    @RolesAllowed(Permission.Names.PLATFORM_ADMIN)
    public Map<String, Boolean> operate() {
        return Map.of("platform_admin", Caller.of(token).isPlatformAdmin());
    }
}
