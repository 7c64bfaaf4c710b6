package io.dmlp.datalake;

import io.dmlp.common.testing.ServiceContractTest;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class DatalakeServiceContractTest extends ServiceContractTest {
}
