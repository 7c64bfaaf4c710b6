package io.dmlp.auth;

import io.dmlp.common.testing.ServiceContractTest;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class AuthServiceContractTest extends ServiceContractTest {
}
