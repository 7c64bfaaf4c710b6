package io.dmlp.common.testing;

import io.quarkus.test.junit.QuarkusTest;

/** The contract every service inherits, checked on common's own test application. */
@QuarkusTest
class CommonContractTest extends ServiceContractTest {
}
