package cn.onenet.exchange.rest;

import static cn.onenet.exchange.rest.FreeTextLimitsTest.count;
import static cn.onenet.exchange.rest.FreeTextLimitsTest.post;
import static cn.onenet.exchange.rest.FreeTextLimitsTest.with;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.onenet.common.problem.ApiException;
import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.model.Dispute;
import cn.onenet.exchange.model.Objection;
import cn.onenet.exchange.model.ShareRequest;
import cn.onenet.exchange.model.UsageRecord;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * A required text made only of characters that show nothing (no-break space, zero-width space, byte order mark, Hangul
 * filler, …, as pasted from a word processor or a web page) is no reason, legal basis, purpose or scenario (R7, R9):
 * 400 problem+json naming the field, with the request id, and nothing filed or changed.
 */
@QuarkusTest
class InvisibleTextTest extends ExchangeTestBase {

    static final String NBSP = "\u00a0";
    static final String ZWSP = "\u200b";
    static final String INVISIBLE = "不能只含空白或不可见字符 / must contain visible text";

    static void refused(Response r, String field) {
        r.then().statusCode(400).contentType("application/problem+json").body("errors.field", hasItem(field))
                .body("errors.message", hasItem(INVISIBLE)).body("requestId", notNullValue());
    }

    @Test
    void filingNeedsVisibleLegalBasisScenarioPurposeAndScope() {
        String consumer = operator("11330000MB00000811");
        GrantDisposalTest.catalogued(replica, "330000-01-02/906891");
        Map<String, Object> body = RequestWorkflowTest.body("330000-01-02/906891", List.of("GMSFHM", "XM"));
        long requests = count(ShareRequest.class);
        refused(post(consumer, "/requests", with(body, "legalBasis", NBSP)), "legalBasis");
        refused(post(consumer, "/requests", with(body, "scenario", ZWSP)), "scenario");
        refused(post(consumer, "/requests", with(body, "purpose", ZWSP)), "purpose");
        refused(post(consumer, "/requests", with(body, "scope", "\ufeff\u3164" + NBSP)), "scope");
        refused(post(consumer, "/requests", with(body, "covertUse", Map.of("legalBasis", "\u2060\u2007"))),
                "covertUse.legalBasis");
        assertEquals(requests, count(ShareRequest.class));

        // text that shows something is kept as given, inner no-break spaces included
        long id = post(consumer, "/requests", with(body, "legalBasis", "《社会救助暂行办法》" + NBSP + "第十一条"))
                .then().statusCode(201).extract().jsonPath().getLong("id");
        given().auth().oauth2(consumer).get("/api/exchange/v1/requests/" + id).then().statusCode(200)
                .body("legalBasis", equalTo("《社会救助暂行办法》" + NBSP + "第十一条"));
    }

    @Test
    void answersNeedVisibleReasons() {
        String consumer = operator("11330000MB00000812");
        GrantDisposalTest.catalogued(replica, "330000-01-02/906892");
        long id = GrantDisposalTest.pending(consumer, "330000-01-02/906892");
        String provider = operator(RequestWorkflowTest.PROVIDER);
        refused(post(provider, "/requests/" + id + "/refuse", Map.of("version", 0, "reason", ZWSP)), "reason");
        refused(post(provider, "/requests/" + id + "/refuse", Map.of("version", 0, "reason", NBSP + ZWSP,
                "legalBasis", "《数据安全法》")), "reason");
        refused(post(provider, "/requests/" + id + "/supplement", Map.of("version", 0, "reason", "\u202f")), "reason");
        refused(post(provider, "/requests/" + id + "/extension", Map.of("version", 0, "reason", NBSP, "days", 5)),
                "reason");
        given().auth().oauth2(consumer).get("/api/exchange/v1/requests/" + id).then().statusCode(200)
                .body("status", equalTo("PENDING")).body("version", equalTo(0));
    }

    @Test
    void recordsObjectionsAndDisputesNeedVisibleText() {
        String consumer = operator("11330000MB00000813");
        long grant = GrantDisposalTest.approved(replica, "330000-01-02/906893", consumer, null);
        long records = count(UsageRecord.class);
        refused(post(consumer, "/grants/" + grant + "/usage-records", Map.of("kind", "SCENARIO",
                "description", ZWSP)), "description");
        assertEquals(records, count(UsageRecord.class));

        String provider = operator(RequestWorkflowTest.PROVIDER);
        refused(post(provider, "/grants/" + grant + "/suspend", Map.of("version", 0, "reason", NBSP)), "reason");
        given().auth().oauth2(consumer).get("/api/exchange/v1/grants/" + grant).then().statusCode(200)
                .body("status", equalTo("ACTIVE")).body("version", equalTo(0));

        long objections = count(Objection.class);
        refused(post(consumer, "/objections", Map.of("resourceCode", "330000-01-02/906893", "recordKey",
                "330106198807070023", "description", ZWSP)), "description");
        assertEquals(objections, count(Objection.class));

        String other = operator("11330000MB00000814");
        long suspended = DisputeObjectionTest.suspendedByProvider(replica, "330000-01-02/906894", other);
        long disputes = count(Dispute.class);
        refused(post(other, "/disputes", Map.of("subject", "SUSPENSION", "grantId", suspended, "reason", ZWSP,
                "negotiation", DisputeObjectionTest.negotiation("2026-12-01"))), "reason");
        assertEquals(disputes, count(Dispute.class));
    }

    @Test
    void aLookupReasonThatShowsNothingIsNoReason() {
        // percent-encoded as the header carries it: a zero-width space, a no-break space
        ApiException refused = assertThrows(ApiException.class, () -> DataResource.reason("%E2%80%8B%C2%A0", true));
        assertEquals("X-Onenet-Reason", refused.errors().get(0).field());
        assertEquals(INVISIBLE, refused.errors().get(0).message());
        assertEquals(null, DataResource.reason("%E2%80%8B", false));
        assertEquals("案件号\u00a01", DataResource.reason("%E6%A1%88%E4%BB%B6%E5%8F%B7%C2%A01", true));
    }
}
