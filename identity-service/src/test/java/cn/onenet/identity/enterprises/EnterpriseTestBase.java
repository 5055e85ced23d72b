package cn.onenet.identity.enterprises;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;

import cn.onenet.identity.oidc.TestClients;
import cn.onenet.identity.service.AccountService;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;

/** The enterprise tests' shared set-up: the test clients registered, accounts created through the service. */
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
abstract class EnterpriseTestBase {

    @Inject
    TestClients clients;

    @Inject
    AccountService accounts;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }
}
