package io.dmlp.dataset;

import io.dmlp.common.testing.ServiceContractTest;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class DatasetServiceContractTest extends ServiceContractTest {
}
