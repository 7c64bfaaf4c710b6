package io.dmlp.training;

import io.dmlp.common.testing.ServiceContractTest;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class TrainingServiceContractTest extends ServiceContractTest {
}
