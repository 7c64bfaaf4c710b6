package io.dmlp.gateway;

import io.dmlp.common.testing.ServiceContractTest;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class GatewayContractTest extends ServiceContractTest {
}
