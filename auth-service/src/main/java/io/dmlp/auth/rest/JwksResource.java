package io.dmlp.auth.rest;

import io.dmlp.auth.service.KeyManager;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import java.util.Map;

/** The public keys that verify the platform's tokens; every service fetches them. */
@Path("/.well-known/jwks.json")
public class JwksResource {

    private final KeyManager keys;

    public JwksResource(KeyManager keys) {
        this.keys = keys;
    }

    @GET
    @PermitAll
    @SecurityRequirements
    public Map<String, Object> jwks() {
        return keys.jwks();
    }
}
