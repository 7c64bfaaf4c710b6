package io.dmlp.catalog;

import io.dmlp.common.testing.ServiceContractTest;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class CatalogServiceContractTest extends ServiceContractTest {
}
