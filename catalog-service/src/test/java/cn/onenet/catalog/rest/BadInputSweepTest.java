package cn.onenet.catalog.rest;

import org.junit.jupiter.api.Test;

import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.catalog.support.Fixtures;
import cn.onenet.testsupport.BadInputSweep;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import cn.onenet.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Every operation of the OpenAPI document, called with malformed input: 4xx problem+json, never a 500. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class BadInputSweepTest {

    @Test
    void everyOperationAnswersBadInputWithAProblem() {
        BadInputSweep.ofTestApplication()
                .tokens(roles -> TestTokens.civilServant("sweeper", Fixtures.BUREAU, Fixtures.AUD,
                        roles.toArray(String[]::new)))
                // an entry needs a name, abstract and provider name that show something
                .refuseBlankLooking(operation -> operation.equals("POST /api/catalog/v1/entries"))
                .assertNoFindings();
    }
}
