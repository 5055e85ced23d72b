package cn.onenet.exchange.service;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;

import org.antlr.v4.runtime.dfa.DFA;
import org.hibernate.grammars.hql.HqlParser;
import org.junit.jupiter.api.Test;

import cn.onenet.common.memory.CollectAfterStart;
import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.testsupport.TestTokens;
import io.quarkus.test.junit.QuarkusTest;

/** The HQL parser's DFA cache, released after start (CollectAfterStart), empties and the service keeps querying. */
@QuarkusTest
class ParserCacheReleaseTest extends ExchangeTestBase {

    private static int cachedStates() throws ReflectiveOperationException {
        Field f = HqlParser.class.getDeclaredField("_decisionToDFA");
        f.setAccessible(true);
        int n = 0;
        for (DFA dfa : (DFA[]) f.get(null)) {
            n += dfa.states.size();
        }
        return n;
    }

    private static void listGrants() {
        given().auth().oauth2(TestTokens.civilServant("cache-reader", DemoData.AUTHORITY, AUD,
                "auditor")).get("/api/exchange/v1/grants").then().statusCode(200);
    }

    @Test
    void releasingTheParserCacheEmptiesItAndQueriesStillRun() throws ReflectiveOperationException {
        listGrants();
        assertTrue(cachedStates() > 0, "the start-up queries left no DFA states");
        assertTrue(CollectAfterStart.releaseParserCaches());
        assertEquals(0, cachedStates());
        // the queries keep running: from Hibernate's plan cache, or parsed anew
        listGrants();
    }
}
