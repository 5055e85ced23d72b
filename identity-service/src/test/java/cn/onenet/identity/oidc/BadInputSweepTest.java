package cn.onenet.identity.oidc;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import cn.onenet.testsupport.BadInputSweep;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Every operation of the OpenAPI document, called with malformed input: 4xx problem+json, never a 500. The OpenID
 * Connect endpoints answer errors in OAuth 2.0's own format (or as a login page), still never 5xx.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class BadInputSweepTest {

    @Inject
    TestClients clients;

    @Test
    void everyOperationAnswersBadInputWithAProblem() {
        clients.ensure(null);
        BadInputSweep.ofTestApplication()
                // real tokens of the demo staff: the administrator, else the auditor
                .tokens(roles -> OidcFlow.accessToken("test-web", roles.contains("admin") ? "dsj.admin" : "dsj.auditor"))
                .otherErrorFormat(path -> path.startsWith("/oidc/"))
                .assertNoFindings();
    }
}
