package cn.onenet.exchange;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;

import cn.onenet.exchange.service.CatalogReplicaService;
import cn.onenet.exchange.service.DemoData;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import cn.onenet.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;

/** All exchange tests share one application: embedded PostgreSQL, test tokens and the fake catalogue. */
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeCatalog.class, restrictToAnnotatedClass = false)
public abstract class ExchangeTestBase {

    public static final String AUD = "onenet-exchange";

    @Inject
    protected CatalogReplicaService replica;
    @Inject
    protected DemoData demo;

    @BeforeEach
    void catalogueAndDemoData() {
        replica.pollOnce();
        demo.load();
    }

    protected static String operator(String dept) {
        return TestTokens.civilServant("op-" + dept, dept, AUD, "operator");
    }

    protected static String system(String dept) {
        return TestTokens.departmentClient("sys-" + dept, dept, AUD, "system");
    }

    protected static String reviewer() {
        return TestTokens.civilServant("reviewer-1", DemoData.AUTHORITY, AUD, "reviewer");
    }

    protected static String auditor() {
        return TestTokens.civilServant("auditor-1", DemoData.AUTHORITY, AUD, "auditor");
    }

    protected static String admin() {
        return TestTokens.civilServant("admin-1", DemoData.AUTHORITY, AUD, "admin");
    }
}
