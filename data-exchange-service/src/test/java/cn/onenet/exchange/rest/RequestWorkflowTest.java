package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.service.RequestService;
import cn.onenet.exchange.service.TimeSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

@QuarkusTest
class RequestWorkflowTest extends ExchangeTestBase {

    static final String CONSUMER = "11330000002481090H"; // 民政厅
    static final String PROVIDER = "11330000002481080G"; // 应急管理厅 (provider of the test entries)

    @Inject
    TimeSource time;
    @Inject
    RequestService requests;

    @AfterEach
    void realClock() {
        time.set(null);
    }

    static Map<String, Object> body(String resourceCode, List<String> items) {
        Map<String, Object> m = new java.util.HashMap<>();
        m.put("resourceCode", resourceCode);
        m.put("items", items);
        m.put("legalBasis", "《社会救助暂行办法》第十一条");
        m.put("scenario", "最低生活保障审核");
        m.put("purpose", "社会保障待遇资格认证");
        m.put("scope", "本厅社会救助处");
        m.put("deliveryMethod", "API");
        m.put("periodFrom", LocalDate.now(TimeSource.ZONE).minusDays(1).toString());
        m.put("periodTo", LocalDate.now(TimeSource.ZONE).plusYears(1).toString());
        m.put("attestation", Map.of("truthful", true, "lawful", true, "necessary", true));
        return m;
    }

    static Response file(String token, Map<String, Object> body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .post("/api/exchange/v1/requests");
    }

    @Test
    void unconditionalEntryIsGrantedAtOnce() {
        Response r = file(operator(CONSUMER), body(FakeCatalog.UNCONDITIONAL, List.of("GMSFHM", "XM")));
        r.then().statusCode(201).body("status", equalTo("GRANTED")).body("grantId", notNullValue());
        long grantId = r.jsonPath().getLong("grantId");
        given().auth().oauth2(operator(CONSUMER)).get("/api/exchange/v1/grants/" + grantId).then().statusCode(200)
                .body("status", equalTo("ACTIVE")).body("items", equalTo(List.of("GMSFHM", "XM")))
                .body("purpose", equalTo("社会保障待遇资格认证"));
        // someone else's department does not see it
        given().auth().oauth2(operator("11330000002481060E")).get("/api/exchange/v1/grants/" + grantId).then()
                .statusCode(404);
    }

    @Test
    void anEntryPublishedSinceTheLastPollIsFoundAtFiling() throws InterruptedException {
        String code = "330000-01-02/900077";
        // a code the catalogue never published stays unknown, and nothing is filed
        file(operator(CONSUMER), body("330000-01-02/900078", List.of("GMSFHM"))).then().statusCode(404)
                .contentType("application/problem+json");
        FakeCatalog.add("PUBLISHED", code, "新发布的测试目录", PROVIDER, "UNCONDITIONAL", "LEVEL_2", "GMSFHM",
                List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "dataType", "C", "length", 18,
                        "sensitive", true)));
        Thread.sleep(1_100); // catch-up reads of the feed are spaced a second apart
        // the scheduled poll is an hour away in tests: the filing itself reads the feed
        file(operator(CONSUMER), body(code, List.of("GMSFHM"))).then().statusCode(201)
                .body("resourceCode", equalTo(code)).body("status", equalTo("GRANTED"));
    }

    @Test
    void notSharedEntryIsRefusedAtFilingWithTheLegalBasis() {
        file(operator(CONSUMER), body(FakeCatalog.NOT_SHARED, List.of("GMSFHM"))).then().statusCode(201)
                .body("status", equalTo("NOT_SHARED")).body("grantId", nullValue())
                .body("decisionReason", equalTo("涉及国家秘密"))
                .body("refusalLegalBasis.title", equalTo("中华人民共和国保守国家秘密法"))
                .body("refusalLegalBasis.type", equalTo("LAW"));
    }

    @Test
    void filingIsValidatedAndRoleChecked() {
        Map<String, Object> bad = new java.util.HashMap<>(body(FakeCatalog.CONDITIONAL, List.of("GMSFHM", "NOPE")));
        file(operator(CONSUMER), bad).then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("items[1]"));
        bad = new java.util.HashMap<>(body(FakeCatalog.CONDITIONAL, List.of("GMSFHM")));
        bad.put("attestation", Map.of("truthful", true, "lawful", true, "necessary", false));
        file(operator(CONSUMER), bad).then().statusCode(400).body("errors.field", hasItem("attestation"));
        // a period already over: no grant could ever be used
        bad = new java.util.HashMap<>(body(FakeCatalog.CONDITIONAL, List.of("GMSFHM")));
        bad.put("periodFrom", LocalDate.now(TimeSource.ZONE).minusDays(30).toString());
        bad.put("periodTo", LocalDate.now(TimeSource.ZONE).minusDays(1).toString());
        file(operator(CONSUMER), bad).then().statusCode(400).body("errors.field", hasItem("periodTo"));
        // days PostgreSQL cannot store, or no request period could mean, are refused naming the field
        for (String[] outOfRange : new String[][] { { "periodFrom", "-5000-01-01" }, { "periodFrom", "1899-12-31" },
                { "periodTo", "+10000-01-01" }, { "periodTo", "+999999999-12-31" } }) {
            bad = new java.util.HashMap<>(body(FakeCatalog.CONDITIONAL, List.of("GMSFHM")));
            bad.put(outOfRange[0], outOfRange[1]);
            file(operator(CONSUMER), bad).then().statusCode(400).contentType("application/problem+json")
                    .body("errors.field", hasItem(outOfRange[0])).body("requestId", notNullValue());
        }
        file(reviewer(), body(FakeCatalog.CONDITIONAL, List.of("GMSFHM"))).then().statusCode(403);
        given().contentType(ContentType.JSON).body(body(FakeCatalog.CONDITIONAL, List.of("GMSFHM")))
                .post("/api/exchange/v1/requests").then().statusCode(401);
    }

    @Test
    void aResourceCodeWithASpaceAfterItIsNamedInTheAnswer() {
        file(operator(CONSUMER), body(FakeCatalog.CONDITIONAL + " ", List.of("GMSFHM"))).then().statusCode(404)
                .contentType("application/problem+json").body("errors.field", equalTo(List.of("resourceCode")));
    }

    /**
     * A grant is time-limited: a request asks for at most exchange.max-grant-period (P3Y) from its periodFrom, or from
     * the filing day when periodFrom lies in the past; a longer one is 400 naming periodTo and files nothing, also for
     * 无条件共享, which would otherwise be granted at once with no one to review the period.
     */
    @Test
    void aPeriodLongerThanTheMaximumIsRefusedNamingPeriodTo() {
        String consumer = "11330000MB00000771";
        LocalDate today = LocalDate.now(TimeSource.ZONE);
        for (String[] period : new String[][] { { today.toString(), "9999-12-31" },
                { today.minusDays(1).toString(), today.plusYears(3).plusDays(1).toString() },
                { today.plusYears(1).toString(), today.plusYears(4).plusDays(1).toString() } }) {
            Map<String, Object> tooLong = body(FakeCatalog.UNCONDITIONAL, List.of("GMSFHM", "XM"));
            tooLong.put("periodFrom", period[0]);
            tooLong.put("periodTo", period[1]);
            file(operator(consumer), tooLong).then().statusCode(400).contentType("application/problem+json")
                    .body("errors.field", equalTo(List.of("periodTo")))
                    .body("errors[0].message", org.hamcrest.Matchers.containsString("P3Y"))
                    .body("requestId", notNullValue());
        }
        given().auth().oauth2(operator(consumer)).get("/api/exchange/v1/requests?side=consumer").then()
                .statusCode(200).header("X-Total-Count", "0");
        Map<String, Object> longest = body(FakeCatalog.UNCONDITIONAL, List.of("GMSFHM", "XM"));
        longest.put("periodFrom", today.plusYears(1).toString());
        longest.put("periodTo", today.plusYears(4).toString());
        file(operator(consumer), longest).then().statusCode(201).body("status", equalTo("GRANTED"));
    }

    @Test
    void idempotencyKeyReturnsTheSameRequest() {
        Response a = given().auth().oauth2(operator(CONSUMER)).header("Idempotency-Key", "req-idem-1")
                .contentType(ContentType.JSON).body(body(FakeCatalog.CONDITIONAL, List.of("XM")))
                .post("/api/exchange/v1/requests");
        Response b = given().auth().oauth2(operator(CONSUMER)).header("Idempotency-Key", "req-idem-1")
                .contentType(ContentType.JSON).body(body(FakeCatalog.CONDITIONAL, List.of("XM")))
                .post("/api/exchange/v1/requests");
        assertEquals(a.jsonPath().getLong("id"), b.jsonPath().getLong("id"));
    }

    @Test
    void conditionalApprovalWithFewerItemsAndShorterPeriod() {
        time.set(Clock.fixed(ZonedDateTime.of(2026, 9, 28, 10, 0, 0, 0, TimeSource.ZONE).toInstant(), TimeSource.ZONE));
        Response r = file(operator(CONSUMER), body(FakeCatalog.CONDITIONAL, List.of("GMSFHM", "XM", "ZY")));
        // Filed Monday 28 Sep 2026: 10 working days skip 中秋/国庆 (1–7 Oct) and count Saturday 10 Oct (调休).
        r.then().statusCode(201).body("status", equalTo("PENDING")).body("dueOn", equalTo("2026-10-16"));
        long id = r.jsonPath().getLong("id");
        time.set(null);
        // the consumer cannot answer its own request
        given().auth().oauth2(operator(CONSUMER)).contentType(ContentType.JSON).body(Map.of("version", 0))
                .post("/api/exchange/v1/requests/" + id + "/approve").then().statusCode(403);
        String shorter = LocalDate.now(TimeSource.ZONE).plusMonths(3).toString();
        Response approved = given().auth().oauth2(operator(PROVIDER)).contentType(ContentType.JSON)
                .body(Map.of("version", 0, "items", List.of("GMSFHM", "XM"), "periodTo", shorter))
                .post("/api/exchange/v1/requests/" + id + "/approve");
        approved.then().statusCode(200).body("status", equalTo("APPROVED")).body("grantId", notNullValue());
        // a request no longer waiting is not withdrawn; the Chinese half names its state in words, not by its code
        int seen = given().auth().oauth2(operator(CONSUMER)).get("/api/exchange/v1/requests/" + id).then()
                .extract().jsonPath().getInt("version");
        given().auth().oauth2(operator(CONSUMER)).contentType(ContentType.JSON).body(Map.of("version", seen))
                .post("/api/exchange/v1/requests/" + id + "/withdraw").then().statusCode(409)
                .body("detail", startsWith("申请已批准，不能撤回 / the request is APPROVED"));
        given().auth().oauth2(operator(CONSUMER)).get("/api/exchange/v1/grants/" + approved.jsonPath().getLong("grantId"))
                .then().statusCode(200).body("items", equalTo(List.of("GMSFHM", "XM")))
                .body("validTo", equalTo(shorter));
        // widening is not approval
        Response other = file(operator(CONSUMER), body(FakeCatalog.CONDITIONAL, List.of("XM")));
        given().auth().oauth2(operator(PROVIDER)).contentType(ContentType.JSON)
                .body(Map.of("version", 0, "items", List.of("XM", "ZY")))
                .post("/api/exchange/v1/requests/" + other.jsonPath().getLong("id") + "/approve").then()
                .statusCode(400).body("errors.field", hasItem("items[1]"));
        // an emptied item list is not approval of every item: 400 naming items, the request stays as it was
        String url = "/api/exchange/v1/requests/" + other.jsonPath().getLong("id");
        given().auth().oauth2(operator(PROVIDER)).contentType(ContentType.JSON)
                .body(Map.of("version", 0, "items", List.of())).post(url + "/approve").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem("items"));
        given().auth().oauth2(operator(CONSUMER)).get(url).then().statusCode(200).body("status", equalTo("PENDING"))
                .body("version", equalTo(0)).body("grantId", nullValue());
        given().auth().oauth2(operator(PROVIDER)).contentType(ContentType.JSON).body(Map.of("version", -1))
                .post(url + "/approve").then().statusCode(400).body("errors.field", hasItem("version"));
    }

    @Test
    void refusalNeedsReasons() {
        long id = file(operator(CONSUMER), body(FakeCatalog.CONDITIONAL, List.of("XM"))).jsonPath().getLong("id");
        given().auth().oauth2(operator(PROVIDER)).contentType(ContentType.JSON).body(Map.of("version", 0))
                .post("/api/exchange/v1/requests/" + id + "/refuse").then().statusCode(400)
                .body("errors.field", hasItem("reason"));
        given().auth().oauth2(operator(PROVIDER)).contentType(ContentType.JSON)
                .body(Map.of("version", 0, "reason", "申请用途与共享条件不符"))
                .post("/api/exchange/v1/requests/" + id + "/refuse").then().statusCode(200)
                .body("status", equalTo("REFUSED")).body("decisionReason", equalTo("申请用途与共享条件不符"));
        given().auth().oauth2(operator(CONSUMER)).get("/api/exchange/v1/notices").then().statusCode(200)
                .body("kind", hasItem("REQUEST_REFUSED"));
    }

    @Test
    void supplementIsAskedOnlyOnceAndRestartsTheClock() {
        long id = file(operator(CONSUMER), body(FakeCatalog.CONDITIONAL, List.of("XM"))).jsonPath().getLong("id");
        given().auth().oauth2(operator(PROVIDER)).contentType(ContentType.JSON)
                .body(Map.of("version", 0, "reason", "请补充法定职责依据文件和经办范围说明"))
                .post("/api/exchange/v1/requests/" + id + "/supplement").then().statusCode(200)
                .body("status", equalTo("SUPPLEMENT_REQUESTED"));
        // the requester's notice reads in both languages, as the others do
        given().auth().oauth2(operator(CONSUMER)).get("/api/exchange/v1/notices").then().statusCode(200)
                .body("find { it.kind == 'SUPPLEMENT_REQUESTED' && it.subjectId == " + id + " }.message",
                        equalTo("请补充材料 / supplement the request: 请补充法定职责依据文件和经办范围说明"));
        time.set(Clock.fixed(ZonedDateTime.of(2026, 9, 30, 9, 0, 0, 0, TimeSource.ZONE).toInstant(), TimeSource.ZONE));
        given().auth().oauth2(operator(CONSUMER)).contentType(ContentType.JSON)
                .body(Map.of("version", 1, "legalBasis", "《社会救助暂行办法》第十一条及实施细则"))
                .post("/api/exchange/v1/requests/" + id + "/resubmit").then().statusCode(200)
                .body("status", equalTo("PENDING")).body("receivedOn", equalTo("2026-09-30"))
                // 30 Sep: 8, 9, 10 (Sat, 调休), 12–16, 19, 20 Oct
                .body("dueOn", equalTo("2026-10-20"));
        given().auth().oauth2(operator(PROVIDER)).contentType(ContentType.JSON)
                .body(Map.of("version", 2, "reason", "再补充一次"))
                .post("/api/exchange/v1/requests/" + id + "/supplement").then().statusCode(409)
                .body("type", equalTo("urn:onenet:problem:illegal-transition"));
    }

    @Test
    void oneExtensionNeedsTheAuthorityAndNotifiesTheRequester() {
        time.set(Clock.fixed(ZonedDateTime.of(2026, 9, 28, 10, 0, 0, 0, TimeSource.ZONE).toInstant(), TimeSource.ZONE));
        long id = file(operator(CONSUMER), body(FakeCatalog.CONDITIONAL, List.of("XM"))).jsonPath().getLong("id");
        given().auth().oauth2(operator(PROVIDER)).contentType(ContentType.JSON)
                .body(Map.of("version", 0, "reason", "需核对历史数据", "days", 11))
                .post("/api/exchange/v1/requests/" + id + "/extension").then().statusCode(400)
                .body("errors.field", hasItem("days"));
        given().auth().oauth2(operator(PROVIDER)).contentType(ContentType.JSON)
                .body(Map.of("version", 0, "reason", "需核对历史数据", "days", 10))
                .post("/api/exchange/v1/requests/" + id + "/extension").then().statusCode(200)
                .body("dueOn", equalTo("2026-10-16"));
        // the provider cannot approve its own extension
        given().auth().oauth2(operator(PROVIDER)).contentType(ContentType.JSON).body(Map.of("version", 1))
                .post("/api/exchange/v1/requests/" + id + "/extension/approve").then().statusCode(403);
        given().auth().oauth2(reviewer()).contentType(ContentType.JSON).body(Map.of("version", 1))
                .post("/api/exchange/v1/requests/" + id + "/extension/approve").then().statusCode(200)
                .body("extended", equalTo(true)).body("dueOn", equalTo("2026-10-30"));
        given().auth().oauth2(operator(PROVIDER)).contentType(ContentType.JSON)
                .body(Map.of("version", 2, "reason", "再延期", "days", 5))
                .post("/api/exchange/v1/requests/" + id + "/extension").then().statusCode(409);
        given().auth().oauth2(operator(CONSUMER)).get("/api/exchange/v1/notices").then()
                .body("kind", hasItem("EXTENSION_APPROVED"));
    }

    @Test
    void overdueRequestsEscalateToTheAuthority() {
        time.set(Clock.fixed(ZonedDateTime.of(2026, 9, 28, 10, 0, 0, 0, TimeSource.ZONE).toInstant(), TimeSource.ZONE));
        long id = file(operator(CONSUMER), body(FakeCatalog.CONDITIONAL, List.of("XM"))).jsonPath().getLong("id");
        time.set(Clock.fixed(ZonedDateTime.of(2026, 10, 16, 18, 0, 0, 0, TimeSource.ZONE).toInstant(), TimeSource.ZONE));
        requests.escalateOverdue();
        given().auth().oauth2(reviewer()).get("/api/exchange/v1/requests/" + id).then().body("escalated", equalTo(false));
        time.set(Clock.fixed(ZonedDateTime.of(2026, 10, 17, 9, 0, 0, 0, TimeSource.ZONE).toInstant(), TimeSource.ZONE));
        assertTrue(requests.escalateOverdue() >= 1);
        given().auth().oauth2(reviewer()).get("/api/exchange/v1/requests/" + id).then().body("escalated", equalTo(true));
        given().auth().oauth2(reviewer()).get("/api/exchange/v1/notices").then().body("kind", hasItem("REQUEST_OVERDUE"));
    }

    @Test
    void twoReviewersAtOnceOneWinsOneGets409() throws Exception {
        long id = file(operator(CONSUMER), body(FakeCatalog.CONDITIONAL, List.of("XM"))).jsonPath().getLong("id");
        List<CompletableFuture<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            final boolean approve = i == 0;
            calls.add(CompletableFuture.supplyAsync(() -> given().auth().oauth2(operator(PROVIDER))
                    .contentType(ContentType.JSON).body(Map.of("version", 0, approve ? "note" : "reason", "理由"))
                    .post("/api/exchange/v1/requests/" + id + (approve ? "/approve" : "/refuse")).statusCode()));
        }
        List<Integer> codes = new ArrayList<>();
        for (CompletableFuture<Integer> c : calls) {
            codes.add(c.get());
        }
        codes.sort(Integer::compare);
        assertEquals(List.of(200, 409), codes);
        // a stale version is refused too
        given().auth().oauth2(operator(PROVIDER)).contentType(ContentType.JSON).body(Map.of("version", 0, "reason", "x"))
                .post("/api/exchange/v1/requests/" + id + "/refuse").then().statusCode(409);
    }
}
