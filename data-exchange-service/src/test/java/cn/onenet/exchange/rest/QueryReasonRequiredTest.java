package cn.onenet.exchange.rest;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Where every keyed lookup must state its reason (exchange.reason.required), a query naming one person is held to the
 * same rule: filtering on the key item, or on a value that is a 公民身份号码, is a keyed lookup in all but the URL.
 */
@QuarkusTest
@TestProfile(QueryReasonRequiredTest.ReasonRequired.class)
class QueryReasonRequiredTest extends ExchangeTestBase {

    /** A deployment that requires the reason. */
    public static class ReasonRequired implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("exchange.reason.required", "true");
        }
    }

    @Test
    void aQueryByTheKeyItemWithoutAReasonIsRefusedNamingTheHeader() {
        String rid = "why-required-" + UUID.randomUUID();
        LookupReasonTest.query("GMSFHM=" + ComplaintTest.WANG_ID, rid, null).then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("X-Onenet-Reason"))
                .body("detail", containsString("X-Onenet-Reason")).body("requestId", equalTo(rid));
        // a blank one is none
        LookupReasonTest.query("GMSFHM=" + ComplaintTest.WANG_ID, rid + "-blank", "%20").then().statusCode(400)
                .body("field", equalTo("X-Onenet-Reason"));
        // so is the keyed lookup itself
        LookupReasonTest.lookup(ComplaintTest.WANG_ID, rid + "-lookup", null).then().statusCode(400)
                .body("field", equalTo("X-Onenet-Reason"));
    }

    @Test
    void withItTheQueryIsLoggedAndTheCitizenSeesIt() {
        String rid = "why-required-ok-" + UUID.randomUUID();
        LookupReasonTest.query("GMSFHM=" + ComplaintTest.WANG_ID, rid, LookupReasonTest.encoded(LookupReasonTest.REASON))
                .then().statusCode(200).body("reason", equalTo(LookupReasonTest.REASON));
        Map<String, Object> seen = LookupReasonTest.entry(ComplaintTest.citizen("wang-why-required",
                ComplaintTest.WANG_ID), "/api/exchange/v1/me/data-accesses", rid);
        assertEquals("QUERY", seen.get("operation"));
        assertEquals(LookupReasonTest.REASON, seen.get("reason"));
    }

    @Test
    void aQueryNamingNoOneNeedsNone() {
        LookupReasonTest.query("size=1", "why-required-none-" + UUID.randomUUID(), null).then().statusCode(200);
    }
}
