package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.model.Notice;
import cn.onenet.exchange.service.DemoData;
import cn.onenet.exchange.service.RequestService;
import cn.onenet.exchange.service.TimeSource;
import cn.onenet.testsupport.TestTokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * 撤回申请 by the requesting department, 不予延期 by the 主管部门 of the request's region, and the extension and overdue
 * notices reaching the reviewers of the region that decides the extension.
 */
@QuarkusTest
class RequestWithdrawAndExtensionTest extends ExchangeTestBase {

    static final String API = "/api/exchange/v1/requests/";
    /** A provincial conditional entry of {@link RequestWorkflowTest#PROVIDER}. */
    static final String PROVINCIAL = "330000-01-02/900911";
    /** A 杭州市 (330100) conditional entry. */
    static final String CITY_CONDITIONAL = "330100-01-02/900901";
    static final String CONSUMER = "11330000MB00000111"; // a provincial department
    static final String CITY_PROVIDER = "11330100MB00000077";
    static final String CITY_CONSUMER = "11330100MB00000057";
    /** A department whose code names no region (characters 3–8): its requests' region cannot be determined. */
    static final String NO_REGION_CONSUMER = "11ABCDEFMB00000111";

    static final String CITY_REVIEWER = reviewerIn("reviewer-hz-w", "11330100MB00000099", "330100");
    static final String NINGBO_REVIEWER = reviewerIn("reviewer-nb-w", "11330200MB00000098", "330200");
    static final String CITY_CONSUMER_REVIEWER = reviewerIn("reviewer-cc-w", CITY_CONSUMER, "330100");
    static final String CITY_PROVIDER_REVIEWER = reviewerIn("reviewer-cp-w", CITY_PROVIDER, "330100");

    static boolean entriesKnown;

    @Inject
    TimeSource time;
    @Inject
    RequestService requests;

    @BeforeEach
    void entries() {
        if (entriesKnown) {
            return;
        }
        DeliveryTest.freshEntry(replica, PROVINCIAL, "CONDITIONAL");
        FakeCatalog.add("PUBLISHED", CITY_CONDITIONAL, "市级测试目录 " + CITY_CONDITIONAL, CITY_PROVIDER, "CONDITIONAL",
                "LEVEL_2", "GMSFHM", List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", true),
                        Map.of("code", "XM", "name", "姓名", "sensitive", true)))
                .put("regionCode", "330100");
        replica.pollOnce();
        entriesKnown = true;
    }

    @AfterEach
    void realClock() {
        time.set(null);
    }

    static void at(int year, int month, int day, TimeSource time) {
        time.set(Clock.fixed(ZonedDateTime.of(year, month, day, 10, 0, 0, 0, TimeSource.ZONE).toInstant(),
                TimeSource.ZONE));
    }

    static long pending(String token, String resourceCode) {
        return RequestWorkflowTest.file(token, RequestWorkflowTest.body(resourceCode, List.of("XM"))).then()
                .statusCode(201).body("status", equalTo("PENDING")).extract().jsonPath().getLong("id");
    }

    static ValidatableResponse post(String token, long id, String action, Map<String, Object> body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body).post(API + id + "/" + action)
                .then();
    }

    static ValidatableResponse history(String token, long id) {
        return given().auth().oauth2(token).get(API + id + "/history").then().statusCode(200);
    }

    /** Notices of a kind on request {@code id} to a department, or (department null) to the 主管部门 of a region. */
    static long notices(String department, String region, String kind, long id) {
        return QuarkusTransaction.requiringNew().call(() -> department != null
                ? Notice.count("departmentCode = ?1 and kind = ?2 and subjectType = 'REQUEST' and subjectId = ?3",
                        department, kind, id)
                : Notice.count("regionCode = ?1 and kind = ?2 and subjectType = 'REQUEST' and subjectId = ?3", region,
                        kind, id));
    }

    static String adminOf(String dept) {
        return TestTokens.civilServant("admin-" + dept, dept, AUD, "admin");
    }

    static String cityConsumer() {
        return ReturnFlowTest.operatorIn(CITY_CONSUMER, "330100");
    }

    static String cityProvider() {
        return ReturnFlowTest.operatorIn(CITY_PROVIDER, "330100");
    }

    @Test
    void onlyTheRequestingDepartmentWithdrawsAWaitingRequestAndTheProviderIsTold() {
        long id = pending(operator(CONSUMER), PROVINCIAL);
        String withdraw = "withdraw";
        Map<String, Object> body = Map.of("version", 0, "reason", "业务调整，已改由省级平台统一核验");
        // the provider, the consumer's own reviewers and admins, and the 主管部门 may not; a stranger does not see it
        for (String other : List.of(operator(RequestWorkflowTest.PROVIDER), system(RequestWorkflowTest.PROVIDER),
                reviewerIn("reviewer-own-w", CONSUMER, "330000"), adminOf(CONSUMER), reviewer(), admin())) {
            post(other, id, withdraw, body).statusCode(403).contentType("application/problem+json");
        }
        post(operator(DemoData.MARKET), id, withdraw, body).statusCode(404).contentType("application/problem+json");
        post(operator(CONSUMER), id + 1_000_000, withdraw, body).statusCode(404);
        // a stale or missing version
        post(operator(CONSUMER), id, withdraw, Map.of("version", 1)).statusCode(409)
                .body("type", equalTo("urn:onenet:problem:stale-version"));
        post(operator(CONSUMER), id, withdraw, Map.of("reason", "x")).statusCode(400).body("errors.field",
                hasItem("version"));
        given().auth().oauth2(operator(CONSUMER)).get(API + id).then().body("status", equalTo("PENDING"))
                .body("version", equalTo(0));

        post(operator(CONSUMER), id, withdraw, body).statusCode(200).body("status", equalTo("WITHDRAWN"))
                .body("version", equalTo(1));
        history(operator(RequestWorkflowTest.PROVIDER), id).body("action", equalTo(List.of("FILE", "WITHDRAW")))
                .body("[1].fromStatus", equalTo("PENDING")).body("[1].toStatus", equalTo("WITHDRAWN"))
                .body("[1].reason", equalTo("业务调整，已改由省级平台统一核验")).body("[1].actor.departmentCode", equalTo(CONSUMER))
                .body("[1].actor.role", equalTo("operator")).body("[1].decision", equalTo(false));
        assertEquals(1, notices(RequestWorkflowTest.PROVIDER, null, "REQUEST_WITHDRAWN", id));
        assertEquals(0, notices(CONSUMER, null, "REQUEST_WITHDRAWN", id));
        assertEquals(0, notices(DemoData.AUTHORITY, null, "REQUEST_WITHDRAWN", id)); // nothing for it to decide

        // final: it is neither answered nor withdrawn again
        post(operator(RequestWorkflowTest.PROVIDER), id, "approve", Map.of("version", 1)).statusCode(409)
                .body("type", equalTo("urn:onenet:problem:illegal-transition"));
        post(operator(RequestWorkflowTest.PROVIDER), id, "refuse", Map.of("version", 1, "reason", "x")).statusCode(409)
                .body("type", equalTo("urn:onenet:problem:illegal-transition"));
        post(operator(CONSUMER), id, withdraw, Map.of("version", 1)).statusCode(409)
                .body("type", equalTo("urn:onenet:problem:illegal-transition"));
        given().auth().oauth2(operator(CONSUMER)).get(API + id).then().body("status", equalTo("WITHDRAWN"))
                .body("grantId", equalTo(null));
    }

    @Test
    void aRequestIsWithdrawnWhileASupplementOrAnExtensionIsAwaitedButNotOnceDecided() {
        // during a supplement, by the department's system, without a reason
        long supplement = pending(operator(CONSUMER), PROVINCIAL);
        post(operator(RequestWorkflowTest.PROVIDER), supplement, "supplement",
                Map.of("version", 0, "reason", "请补充法定职责依据文件")).statusCode(200);
        post(system(CONSUMER), supplement, "withdraw", Map.of("version", 1)).statusCode(200)
                .body("status", equalTo("WITHDRAWN"));
        history(operator(CONSUMER), supplement).body("action", equalTo(List.of("FILE", "ASK_SUPPLEMENT", "WITHDRAW")))
                .body("[2].fromStatus", equalTo("SUPPLEMENT_REQUESTED")).body("[2].actor.role", equalTo("system"))
                .body("[2].reason", equalTo(null));
        post(operator(CONSUMER), supplement, "resubmit", Map.of("version", 2, "scope", "x")).statusCode(409);

        // while an extension waits for the 主管部门: the extension can then be neither approved nor refused
        long extension = pending(operator(CONSUMER), PROVINCIAL);
        post(operator(RequestWorkflowTest.PROVIDER), extension, "extension",
                Map.of("version", 0, "reason", "需核对历史数据", "days", 5)).statusCode(200);
        // a provincial request: the configured 主管部门 is told, no region
        assertEquals(1, notices(DemoData.AUTHORITY, null, "EXTENSION_REQUESTED", extension));
        assertEquals(0, notices(null, "330000", "EXTENSION_REQUESTED", extension));
        post(operator(CONSUMER), extension, "withdraw", Map.of("version", 1, "reason", "不再需要")).statusCode(200)
                .body("status", equalTo("WITHDRAWN"));
        history(reviewer(), extension).body("[2].action", equalTo("WITHDRAW"))
                .body("[2].details.extensionPending", equalTo(true));
        // the 主管部门 asked to approve the extension hears that it need not decide it
        assertEquals(1, notices(DemoData.AUTHORITY, null, "REQUEST_WITHDRAWN", extension));
        post(reviewer(), extension, "extension/approve", Map.of("version", 2)).statusCode(409)
                .body("type", equalTo("urn:onenet:problem:illegal-transition"));
        post(reviewer(), extension, "extension/refuse", Map.of("version", 2, "reason", "x")).statusCode(409)
                .body("type", equalTo("urn:onenet:problem:illegal-transition"));

        // decided requests are not withdrawn
        long refused = pending(operator(CONSUMER), PROVINCIAL);
        post(operator(RequestWorkflowTest.PROVIDER), refused, "refuse", Map.of("version", 0, "reason", "用途不符"))
                .statusCode(200);
        post(operator(CONSUMER), refused, "withdraw", Map.of("version", 1)).statusCode(409)
                .body("type", equalTo("urn:onenet:problem:illegal-transition"));
        var granted = RequestWorkflowTest.file(operator(CONSUMER),
                RequestWorkflowTest.body(FakeCatalog.UNCONDITIONAL, List.of("XM"))).then().statusCode(201)
                .body("status", equalTo("GRANTED")).extract().jsonPath();
        post(operator(CONSUMER), granted.getLong("id"), "withdraw", Map.of("version", granted.getInt("version")))
                .statusCode(409)
                .body("type", equalTo("urn:onenet:problem:illegal-transition"));
    }

    @Test
    void theOverdueEscalationSkipsWithdrawnRequests() {
        at(2026, 9, 28, time);
        long withdrawn = pending(operator(CONSUMER), PROVINCIAL);
        long waiting = pending(operator(CONSUMER), PROVINCIAL);
        post(operator(CONSUMER), withdrawn, "withdraw", Map.of("version", 0)).statusCode(200);
        at(2026, 10, 19, time);
        requests.escalateOverdue();
        given().auth().oauth2(operator(CONSUMER)).get(API + withdrawn).then().body("status", equalTo("WITHDRAWN"))
                .body("escalated", equalTo(false));
        history(operator(CONSUMER), withdrawn).body("action", not(hasItem("ESCALATE_OVERDUE")));
        assertEquals(0, notices(DemoData.AUTHORITY, null, "REQUEST_OVERDUE", withdrawn));
        given().auth().oauth2(operator(CONSUMER)).get(API + waiting).then().body("escalated", equalTo(true));
        assertEquals(1, notices(DemoData.AUTHORITY, null, "REQUEST_OVERDUE", waiting));
    }

    @Test
    void theAuthorityOfTheRequestsRegionRefusesAnExtensionAndItsReviewersAreTold() {
        at(2026, 9, 28, time);
        long id = pending(cityConsumer(), CITY_CONDITIONAL);
        given().auth().oauth2(cityConsumer()).get(API + id).then().body("dueOn", equalTo("2026-10-16"));
        post(cityProvider(), id, "extension", Map.of("version", 0, "reason", "需协调属地公安机关核查", "days", 10))
                .statusCode(200);
        // the extension request reaches the city's reviewers, not the configured (provincial) 主管部门
        assertEquals(1, notices(null, "330100", "EXTENSION_REQUESTED", id));
        assertEquals(0, notices(DemoData.AUTHORITY, null, "EXTENSION_REQUESTED", id));
        given().auth().oauth2(CITY_REVIEWER).get("/api/exchange/v1/notices").then().statusCode(200)
                .body("findAll { it.kind == 'EXTENSION_REQUESTED' }.subjectId", hasItem((int) id));
        given().auth().oauth2(reviewer()).get("/api/exchange/v1/notices").then().statusCode(200)
                .body("findAll { it.kind == 'EXTENSION_REQUESTED' }.subjectId", not(hasItem((int) id)));

        Map<String, Object> refusal = Map.of("version", 1, "reason", "所述核查事项不构成延期的特殊原因，请按期答复");
        // another region's 主管部门 does not see it; a party's reviewers and admins and the parties may not
        for (String other : List.of(reviewer(), NINGBO_REVIEWER)) {
            post(other, id, "extension/refuse", refusal).statusCode(404).contentType("application/problem+json");
        }
        for (String party : List.of(CITY_CONSUMER_REVIEWER, CITY_PROVIDER_REVIEWER, adminOf(CITY_PROVIDER),
                cityProvider(), cityConsumer())) {
            post(party, id, "extension/refuse", refusal).statusCode(403).contentType("application/problem+json");
        }
        post(reviewerIn("reviewer-x-w", DemoData.AUTHORITY, null), id, "extension/refuse", refusal).statusCode(403);
        // the reasons are required; a stale version is refused
        post(CITY_REVIEWER, id, "extension/refuse", Map.of("version", 1, "reason", " ")).statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem("reason"));
        post(CITY_REVIEWER, id, "extension/refuse", Map.of("version", 1)).statusCode(400)
                .body("errors.field", hasItem("reason"));
        post(CITY_REVIEWER, id, "extension/refuse", Map.of("version", 0, "reason", "x")).statusCode(409)
                .body("type", equalTo("urn:onenet:problem:stale-version"));

        post(CITY_REVIEWER, id, "extension/refuse", refusal).statusCode(200).body("status", equalTo("PENDING"))
                .body("extensionRefused", equalTo(true)).body("extended", equalTo(false))
                .body("dueOn", equalTo("2026-10-16")).body("version", equalTo(2));
        history(cityConsumer(), id)
                .body("action", equalTo(List.of("FILE", "REQUEST_EXTENSION", "REFUSE_EXTENSION")))
                .body("toStatus", equalTo(List.of("PENDING", "PENDING", "PENDING")))
                .body("[2].reason", equalTo("所述核查事项不构成延期的特殊原因，请按期答复"))
                .body("[2].actor.subject", equalTo("reviewer-hz-w")).body("[2].actor.role", equalTo("reviewer"))
                .body("[2].details.dueOn", equalTo("2026-10-16")).body("[2].details.days", equalTo(10));
        assertEquals(1, notices(CITY_PROVIDER, null, "EXTENSION_REFUSED", id));
        assertEquals(1, notices(CITY_CONSUMER, null, "EXTENSION_REFUSED", id));
        // decided once: neither approved nor refused again, and not asked for again
        post(CITY_REVIEWER, id, "extension/approve", Map.of("version", 2)).statusCode(409)
                .body("type", equalTo("urn:onenet:problem:illegal-transition"));
        post(CITY_REVIEWER, id, "extension/refuse", Map.of("version", 2, "reason", "x")).statusCode(409);
        post(cityProvider(), id, "extension", Map.of("version", 2, "reason", "再次申请", "days", 5)).statusCode(409);

        // past the original deadline it is overdue, and the city's reviewers are told
        at(2026, 10, 19, time);
        requests.escalateOverdue();
        given().auth().oauth2(CITY_REVIEWER).get(API + id).then().body("escalated", equalTo(true));
        assertEquals(1, notices(null, "330100", "REQUEST_OVERDUE", id));
        assertEquals(0, notices(DemoData.AUTHORITY, null, "REQUEST_OVERDUE", id));
        given().auth().oauth2(CITY_REVIEWER).get("/api/exchange/v1/notices").then()
                .body("findAll { it.kind == 'REQUEST_OVERDUE' }.subjectId", hasItem((int) id));
        given().auth().oauth2(NINGBO_REVIEWER).get("/api/exchange/v1/notices").then()
                .body("subjectId", not(hasItem((int) id)));
    }

    @Test
    void aRequestWhoseRegionIsUnknownGoesToTheConfiguredAuthority() {
        long id = pending(operator(NO_REGION_CONSUMER), PROVINCIAL);
        post(operator(RequestWorkflowTest.PROVIDER), id, "extension",
                Map.of("version", 0, "reason", "需核对历史数据", "days", 3)).statusCode(200);
        assertEquals(1, notices(DemoData.AUTHORITY, null, "EXTENSION_REQUESTED", id));
        post(reviewer(), id, "extension/refuse", Map.of("version", 1, "reason", "不予延期")).statusCode(200)
                .body("extensionRefused", equalTo(true));
        history(reviewer(), id).body("action", equalTo(Arrays.asList("FILE", "REQUEST_EXTENSION", "REFUSE_EXTENSION")));
        assertEquals(1, notices(NO_REGION_CONSUMER, null, "EXTENSION_REFUSED", id));
    }
}
