package io.dmlp.inference;

import io.dmlp.common.testing.ServiceContractTest;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class InferenceServiceContractTest extends ServiceContractTest {
}
