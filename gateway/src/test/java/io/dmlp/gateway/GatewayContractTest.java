package io.dmlp.gateway;

import io.dmlp.common.testing.ServiceContractTest;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class GatewayContractTest extends ServiceContractTest {

    /** The gateway's own operations; /q/openapi merges every service's, which are not running here. */
    @Override
    protected String openApiPath() {
        return "/q/openapi/gateway";
    }
}
