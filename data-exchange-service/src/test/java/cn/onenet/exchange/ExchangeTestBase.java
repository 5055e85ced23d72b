package cn.onenet.exchange;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;

import cn.onenet.exchange.service.CatalogReplicaService;
import cn.onenet.exchange.service.DemoData;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import cn.onenet.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;

/**
 * All exchange tests share one application: embedded PostgreSQL, test tokens and the fake catalogue (which also
 * serves the department register, {@link FakeDepartmentRegister}).
 */
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

    /**
     * An operator of a department who is also its head (部门负责人): its share requests are approved by itself at
     * filing and go to the provider at once.
     */
    protected static String operator(String dept) {
        return TestTokens.civilServant("op-" + dept, dept, AUD, "operator", "head");
    }

    /** An operator who is not its department's head: its share requests wait for the head's approval. */
    protected static String operatorOnly(String subject, String dept) {
        return TestTokens.civilServant(subject, dept, AUD, "operator");
    }

    /** The head (部门负责人) of a department, named in its token, with no other role. */
    protected static String head(String subject, String dept, String name) {
        return TestTokens.custom(java.util.Map.of("sub", subject, "aud", AUD, "roles", java.util.List.of("head"),
                "dept", dept, "account_type", "civil_servant", "name", name));
    }

    protected static String system(String dept) {
        return TestTokens.departmentClient("sys-" + dept, dept, AUD, "system");
    }

    /** A reviewer of the provincial 主管部门 (region 330000, where the demo and test departments are). */
    protected static String reviewer() {
        return reviewerIn("reviewer-1", DemoData.AUTHORITY, "330000");
    }

    /**
     * A reviewer of the 主管部门 of a region (token claims {@code region}, null for a token without one, and
     * {@code competent_authority}, as identity-service issues them to the staff of its register's 主管部门).
     */
    protected static String reviewerIn(String subject, String dept, String region) {
        return reviewerToken(subject, dept, region, true);
    }

    /** A reviewer of a department that is not its region's 主管部门 (no {@code competent_authority} claim). */
    protected static String reviewerOfDepartment(String subject, String dept, String region) {
        return reviewerToken(subject, dept, region, false);
    }

    private static String reviewerToken(String subject, String dept, String region, boolean competentAuthority) {
        java.util.Map<String, Object> claims = new java.util.HashMap<>(java.util.Map.of("sub", subject, "aud", AUD,
                "roles", java.util.List.of("reviewer"), "dept", dept, "account_type", "civil_servant", "scope", "openid"));
        if (region != null) {
            claims.put("region", region);
        }
        if (competentAuthority) {
            claims.put("competent_authority", true);
        }
        return TestTokens.custom(claims);
    }

    protected static String auditor() {
        return TestTokens.civilServant("auditor-1", DemoData.AUTHORITY, AUD, "auditor");
    }

    protected static String admin() {
        return TestTokens.civilServant("admin-1", DemoData.AUTHORITY, AUD, "admin");
    }
}
