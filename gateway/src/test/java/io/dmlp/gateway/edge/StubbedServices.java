package io.dmlp.gateway.edge;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/** The gateway in front of {@link UpstreamStub}, with limits small enough to reach in a test. */
public class StubbedServices implements QuarkusTestProfile {

    static final long MAX_BODY = 10L * 1024 * 1024;
    static final long MAX_UPLOAD = 20L * 1024 * 1024;
    static final int LOGIN_BURST = 3;
    static final long HEALTH_REFRESH_MS = 300;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "dmlp.gateway.max-body-size", "10M",
                "dmlp.gateway.max-upload-size", "20M",
                "%test.dmlp.gateway.login-limit.requests", String.valueOf(LOGIN_BURST),
                "%test.dmlp.gateway.login-limit.burst", String.valueOf(LOGIN_BURST),
                "dmlp.gateway.login-limit.period", "1m",
                "dmlp.gateway.health-refresh-interval", HEALTH_REFRESH_MS + "ms");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(UpstreamStub.class));
    }
}
