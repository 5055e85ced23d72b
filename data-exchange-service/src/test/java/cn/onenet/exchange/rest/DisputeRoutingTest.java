package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.FakeDepartmentRegister;
import cn.onenet.exchange.service.DemoData;
import cn.onenet.exchange.service.DepartmentRegister;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * R17 (条例第二十八条): a dispute goes to the 主管部门 of the lowest region containing both departments, and up to the
 * people's government of that same region; the 主管部门's reviewers act only on their region's disputes; admins and
 * reviewers of other departments on none.
 */
@QuarkusTest
class DisputeRoutingTest extends ExchangeTestBase {

    /** A city-level entry (杭州市, 330100) that is not shared, so filing is refused at once and can be disputed. */
    static final String CITY_ENTRY = "330100-01-02/900401";
    static final String CITY_PROVIDER = "11330100MB00000070"; // a department of 杭州市
    static final String CITY_CONSUMER = "11330100MB00000050"; // another department of 杭州市
    static final String XIHU = ReturnFlowTest.XIHU; // 西湖区 (county, 330106)
    static final String NINGBO = "11330200MB00000080"; // 宁波市 (another city)

    static final String CITY_REVIEWER = reviewerIn("reviewer-hz", "11330100MB00000090", "330100");
    static final String NINGBO_REVIEWER = reviewerIn("reviewer-nb", "11330200MB00000091", "330200");
    static final String NO_REGION_REVIEWER = reviewerIn("reviewer-x", DemoData.AUTHORITY, null);

    static boolean cityEntryKnown;

    @BeforeEach
    void cityEntry() {
        if (cityEntryKnown) {
            return;
        }
        Map<String, Object> e = FakeCatalog.add("PUBLISHED", CITY_ENTRY, "市级测试不予共享目录", CITY_PROVIDER,
                "NOT_SHARED", "LEVEL_4", "GMSFHM", List.of(Map.of("code", "GMSFHM", "name", "公民身份号码",
                        "sensitive", true), Map.of("code", "AJXX", "name", "案件信息", "sensitive", true)));
        e.put("regionCode", "330100");
        e.put("notSharedReason", "涉及工作秘密");
        e.put("notSharedLegalBasis", Map.of("type", "LAW", "title", "中华人民共和国保守国家秘密法", "article", "第二条"));
        replica.pollOnce();
        cityEntryKnown = true;
    }

    /** Files a request the catalogue refuses and disputes it; returns the dispute id. */
    static long dispute(String consumerToken, String resourceCode) {
        long request = RequestWorkflowTest.file(consumerToken, RequestWorkflowTest.body(resourceCode, List.of("GMSFHM")))
                .then().statusCode(201).body("status", equalTo("NOT_SHARED")).extract().jsonPath().getLong("id");
        return given().auth().oauth2(consumerToken).contentType(ContentType.JSON)
                .body(DisputeObjectionTest.refusalDispute(request, "履行法定职责确需该数据")).post("/api/exchange/v1/disputes")
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    static ValidatableResponse act(String token, long id, String action, Map<String, Object> body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .post("/api/exchange/v1/disputes/" + id + "/" + action).then();
    }

    static long openedNotices(String dept, long dispute) {
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> cn.onenet.exchange.model.Notice
                .count("departmentCode = ?1 and subjectType = 'DISPUTE' and subjectId = ?2 and kind = 'DISPUTE_OPENED'",
                        dept, dispute));
    }

    static ValidatableResponse list(String token) {
        return given().auth().oauth2(token).get("/api/exchange/v1/disputes").then();
    }

    @Test
    void aCountyAgainstItsCityGoesToTheCityAndUpToTheCitysGovernment() {
        String consumer = ReturnFlowTest.operatorIn(XIHU, "330106");
        long id = dispute(consumer, CITY_ENTRY);
        given().auth().oauth2(consumer).get("/api/exchange/v1/disputes/" + id).then().statusCode(200)
                .body("regionCode", equalTo("330100")).body("consumerRegionCode", equalTo("330106"))
                .body("providerRegionCode", equalTo("330100")).body("level", equalTo("COMPETENT_AUTHORITY"));

        // the province's reviewers and another city's do not act on it nor read it: to them it does not exist (404,
        // as for a dispute that does not exist and for other departments); a token without region is refused (403)
        long none = id + 1_000_000;
        for (String other : List.of(reviewer(), NINGBO_REVIEWER)) {
            for (long dispute : List.of(id, none)) {
                act(other, dispute, "escalate", Map.of("version", 0, "reason", "x")).statusCode(404)
                        .contentType("application/problem+json");
                act(other, dispute, "resolve", Map.of("version", 0, "outcome", "UPHOLD", "resolution", "x"))
                        .statusCode(404).contentType("application/problem+json");
                given().auth().oauth2(other).get("/api/exchange/v1/disputes/" + dispute).then().statusCode(404)
                        .contentType("application/problem+json");
                given().auth().oauth2(other).get("/api/exchange/v1/disputes/" + dispute + "/history").then()
                        .statusCode(404).contentType("application/problem+json");
            }
        }
        for (long dispute : List.of(id, none)) {
            act(NO_REGION_REVIEWER, dispute, "escalate", Map.of("version", 0, "reason", "x")).statusCode(403)
                    .contentType("application/problem+json");
            act(NO_REGION_REVIEWER, dispute, "resolve", Map.of("version", 0, "outcome", "UPHOLD", "resolution", "x"))
                    .statusCode(403);
            given().auth().oauth2(NO_REGION_REVIEWER).get("/api/exchange/v1/disputes/" + dispute).then()
                    .statusCode(403).contentType("application/problem+json");
            given().auth().oauth2(NO_REGION_REVIEWER).get("/api/exchange/v1/disputes/" + dispute + "/history").then()
                    .statusCode(403);
        }
        given().auth().oauth2(operator(DemoData.MARKET)).get("/api/exchange/v1/disputes/" + id).then().statusCode(404);
        // the city's reviewers read it and its history; nothing was changed by the refused calls
        given().auth().oauth2(CITY_REVIEWER).get("/api/exchange/v1/disputes/" + id).then().statusCode(200)
                .body("version", equalTo(0)).body("status", equalTo("OPEN"));
        given().auth().oauth2(CITY_REVIEWER).get("/api/exchange/v1/disputes/" + id + "/history").then().statusCode(200)
                .body("action", equalTo(List.of("OPEN")));
        list(NO_REGION_REVIEWER).statusCode(403);
        list(reviewer()).statusCode(200).body("id", not(hasItem((int) id)));
        list(NINGBO_REVIEWER).statusCode(200).body("id", not(hasItem((int) id)));
        // the city's reviewers do, and list it; both parties list it, others do not
        list(CITY_REVIEWER).statusCode(200).body("id", hasItem((int) id));
        // the configured (provincial) 主管部门 is not the city's: no handler named, no notice to the province
        given().auth().oauth2(CITY_REVIEWER).get("/api/exchange/v1/disputes/" + id).then()
                .body("handlerDepartmentCode", nullValue());
        org.junit.jupiter.api.Assertions.assertEquals(0, openedNotices(DemoData.AUTHORITY, id));
        org.junit.jupiter.api.Assertions.assertEquals(1, openedNotices(CITY_PROVIDER, id));
        list(consumer).statusCode(200).body("id", hasItem((int) id));
        list(operator(CITY_PROVIDER)).statusCode(200).body("id", hasItem((int) id));
        list(operator(DemoData.MARKET)).statusCode(200).body("id", not(hasItem((int) id)));
        list(auditor()).statusCode(200).body("id", hasItem((int) id));
        act(CITY_REVIEWER, id, "escalate", Map.of("version", 0, "reason", "经市主管部门协调未能达成一致")).statusCode(200)
                .body("level", equalTo("PEOPLES_GOVERNMENT")).body("regionCode", equalTo("330100"));
        // at the government of the same region: still the city, not the province
        act(reviewer(), id, "resolve", Map.of("version", 1, "outcome", "UPHOLD", "resolution", "x")).statusCode(404);
        act(CITY_REVIEWER, id, "resolve", Map.of("version", 1, "outcome", "UPHOLD", "resolution", "市人民政府决定维持"))
                .statusCode(200).body("status", equalTo("RESOLVED_UPHELD"));
        given().auth().oauth2(CITY_REVIEWER).get("/api/exchange/v1/disputes/" + id + "/history").then()
                .statusCode(200).body("[0].details.regionCode", equalTo("330100"))
                .body("[0].details.regionSources.consumer", equalTo("request"))
                .body("[0].details.regionSources.provider", equalTo("catalogEntry"))
                .body("[1].details.regionCode", equalTo("330100"));
        given().auth().oauth2(CITY_REVIEWER).get("/api/exchange/v1/disputes?status=NOPE").then().statusCode(400)
                .body("field", equalTo("status"));
    }

    @Test
    void twoDepartmentsOfTheSameCityGoToThatCity() {
        long id = dispute(ReturnFlowTest.operatorIn(CITY_CONSUMER, "330100"), CITY_ENTRY);
        given().auth().oauth2(CITY_REVIEWER).get("/api/exchange/v1/disputes/" + id).then().statusCode(200)
                .body("regionCode", equalTo("330100"));
        act(reviewer(), id, "resolve", Map.of("version", 0, "outcome", "SHARE", "resolution", "x")).statusCode(404);
        // the city's 主管部门 handles it; a 不予共享 refusal is not resolved SHARE (R1), only upheld
        act(CITY_REVIEWER, id, "resolve", Map.of("version", 0, "outcome", "SHARE", "resolution", "应按有条件共享办理"))
                .statusCode(409).contentType("application/problem+json");
        act(CITY_REVIEWER, id, "resolve", Map.of("version", 0, "outcome", "UPHOLD", "resolution", "维持不予共享"))
                .statusCode(200).body("status", equalTo("RESOLVED_UPHELD"));
    }

    static ValidatableResponse notices(String token) {
        return given().auth().oauth2(token).get("/api/exchange/v1/notices").then().statusCode(200);
    }

    @Test
    void theReviewersOfTheCityAreToldOfADisputeRoutedToTheCity() {
        long id = dispute(ReturnFlowTest.operatorIn(CITY_CONSUMER, "330100"), CITY_ENTRY);
        String opened = "findAll { it.kind == 'DISPUTE_OPENED' && it.subjectType == 'DISPUTE' && it.subjectId == " + id
                + " }";
        // the city's 主管部门 is not the configured one: the notice is addressed to the city, whose reviewers read it
        // (also with a 12-digit region claim)
        notices(CITY_REVIEWER).body(opened + ".regionCode", equalTo(List.of("330100")))
                .body(opened + ".message", equalTo(List.of("共享争议待协调 / a dispute awaits the 主管部门: 履行法定职责确需该数据")));
        notices(reviewerIn("reviewer-hz-2", "11330100MB00000092", "330100000000"))
                .body(opened + ".regionCode", equalTo(List.of("330100")));
        org.junit.jupiter.api.Assertions.assertEquals(1L, io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
                .call(() -> cn.onenet.exchange.model.Notice.count("regionCode = '330100' and departmentCode is null "
                        + "and subjectType = 'DISPUTE' and subjectId = ?1 and kind = 'DISPUTE_OPENED'", id)));
        // a reviewer of a third region, the province's, a reviewer of a township of the city, and the city's
        // operators do not get the city's notice; the provider keeps its own
        for (String other : List.of(NINGBO_REVIEWER, reviewer(), NO_REGION_REVIEWER,
                reviewerIn("reviewer-town", "11330100MB00000093", "330106004000"), operator("11330100MB00000090"))) {
            notices(other).body(opened + ".size()", equalTo(0));
        }
        notices(operator(CITY_PROVIDER)).body(opened + ".regionCode", equalTo(java.util.Arrays.asList((String) null)));
    }

    @Test
    void aCityAgainstAProvincialDepartmentGoesToTheProvinceWhoseAuthorityDecides() {
        long id = dispute(ReturnFlowTest.operatorIn(NINGBO, "330200"), FakeCatalog.NOT_SHARED);
        given().auth().oauth2(reviewer()).get("/api/exchange/v1/disputes/" + id).then().statusCode(200)
                .body("regionCode", equalTo("330000")).body("consumerRegionCode", equalTo("330200"))
                .body("providerRegionCode", equalTo("330000"));
        act(NINGBO_REVIEWER, id, "escalate", Map.of("version", 0, "reason", "x")).statusCode(404);
        act(CITY_REVIEWER, id, "escalate", Map.of("version", 0, "reason", "x")).statusCode(404);
        given().auth().oauth2(CITY_REVIEWER).get("/api/exchange/v1/disputes/" + id).then().statusCode(404);
        list(reviewer()).statusCode(200).body("id", hasItem((int) id));
        // routed to the configured 主管部门's own region: it is the handler and is told
        given().auth().oauth2(reviewer()).get("/api/exchange/v1/disputes/" + id).then()
                .body("handlerDepartmentCode", equalTo(DemoData.AUTHORITY));
        org.junit.jupiter.api.Assertions.assertEquals(1, openedNotices(DemoData.AUTHORITY, id));
        act(reviewer(), id, "escalate", Map.of("version", 0, "reason", "提请省人民政府协调")).statusCode(200)
                .body("level", equalTo("PEOPLES_GOVERNMENT")).body("regionCode", equalTo("330000"));
        act(admin(), id, "resolve", Map.of("version", 1, "outcome", "UPHOLD", "resolution", "省人民政府决定维持"))
                .statusCode(403).contentType("application/problem+json");
        act(reviewer(), id, "resolve", Map.of("version", 1, "outcome", "UPHOLD", "resolution", "省人民政府决定维持"))
                .statusCode(200);

        // a consumer whose token names no region: the region in its credit code (民政厅, 330000) against the city
        long byCode = dispute(operator(RequestWorkflowTest.CONSUMER), CITY_ENTRY);
        given().auth().oauth2(admin()).get("/api/exchange/v1/disputes/" + byCode).then().statusCode(200)
                .body("regionCode", equalTo("330000")).body("consumerRegionCode", equalTo("330000"));
        given().auth().oauth2(admin()).get("/api/exchange/v1/disputes/" + byCode + "/history").then()
                .body("[0].details.regionSources.consumer", equalTo("creditCode"));
        act(CITY_REVIEWER, byCode, "resolve", Map.of("version", 0, "outcome", "UPHOLD", "resolution", "x"))
                .statusCode(404);
    }

    @Test
    void reviewersAndAdminsOfAPartyDoNotHandleItsDispute() {
        long id = dispute(ReturnFlowTest.operatorIn(CITY_CONSUMER, "330100"), CITY_ENTRY);
        String consumerReviewer = reviewerIn("reviewer-consumer", CITY_CONSUMER, "330100");
        String providerReviewer = reviewerIn("reviewer-provider", CITY_PROVIDER, "330100");
        String providerAdmin = cn.onenet.testsupport.TestTokens.civilServant("admin-provider", CITY_PROVIDER, AUD,
                "admin");
        for (String party : List.of(consumerReviewer, providerReviewer, providerAdmin)) {
            given().auth().oauth2(party).get("/api/exchange/v1/disputes/" + id).then().statusCode(200);
            act(party, id, "resolve", Map.of("version", 0, "outcome", "SHARE", "resolution", "x")).statusCode(403)
                    .contentType("application/problem+json");
            act(party, id, "escalate", Map.of("version", 0, "reason", "x")).statusCode(403);
        }
        act(CITY_REVIEWER, id, "resolve", Map.of("version", 0, "outcome", "UPHOLD", "resolution", "维持不予共享"))
                .statusCode(200).body("status", equalTo("RESOLVED_UPHELD"));
    }

    @Test
    void aReviewerOfAnotherDepartmentThanTheAuthorityDoesNotResolve() {
        long id = dispute(ReturnFlowTest.operatorIn(CITY_CONSUMER, "330100"), CITY_ENTRY);
        // a reviewer of a third 杭州 department, neither a party nor the 主管部门, and the platform's admin
        String thirdDepartment = reviewerOfDepartment("reviewer-hz-third", "11330100MB0000006X", "330100");
        for (String notTheAuthority : List.of(thirdDepartment, admin())) {
            act(notTheAuthority, id, "resolve", Map.of("version", 0, "outcome", "UPHOLD", "resolution", "维持"))
                    .statusCode(403).contentType("application/problem+json");
            act(notTheAuthority, id, "escalate", Map.of("version", 0, "reason", "提请市人民政府协调")).statusCode(403)
                    .contentType("application/problem+json");
        }
        act(thirdDepartment, id, "resolve", Map.of("version", 0, "outcome", "SHARE", "resolution", "x")).statusCode(403)
                .body("field", equalTo("competent_authority")).body("requestId", org.hamcrest.Matchers.notNullValue());
        // it reads the dispute of its region, which nothing changed
        given().auth().oauth2(thirdDepartment).get("/api/exchange/v1/disputes/" + id).then().statusCode(200)
                .body("status", equalTo("OPEN")).body("version", equalTo(0));
        given().auth().oauth2(CITY_REVIEWER).get("/api/exchange/v1/disputes/" + id + "/history").then()
                .body("action", equalTo(List.of("OPEN")));
        act(CITY_REVIEWER, id, "resolve", Map.of("version", 0, "outcome", "UPHOLD", "resolution", "维持不予共享"))
                .statusCode(200).body("status", equalTo("RESOLVED_UPHELD"));
    }

    /** 杭州市数据资源管理局, the 主管部门 of 330100 in identity-service's register. */
    static final String HANGZHOU_AUTHORITY = "113301000024910106";

    @Inject
    DepartmentRegister register;

    @Test
    void aCityDisputeNamesTheCitysAuthority() {
        List<Map<String, Object>> withHangzhou = new java.util.ArrayList<>(FakeDepartmentRegister.provinceOnly());
        withHangzhou.add(FakeDepartmentRegister.department(HANGZHOU_AUTHORITY, "杭州市数据资源管理局", "330100", true));
        // a department of the city that is not its 主管部门
        withHangzhou.add(FakeDepartmentRegister.department(CITY_PROVIDER, "杭州市测试提供部门", "330100", false));
        FakeDepartmentRegister.set(withHangzhou);
        try {
            assertEquals(3, register.refresh());
            String consumer = ReturnFlowTest.operatorIn(CITY_CONSUMER, "330100");
            long id = dispute(consumer, CITY_ENTRY);
            given().auth().oauth2(consumer).get("/api/exchange/v1/disputes/" + id).then().statusCode(200)
                    .body("regionCode", equalTo("330100")).body("handlerDepartmentCode", equalTo(HANGZHOU_AUTHORITY));
            given().auth().oauth2(CITY_REVIEWER).get("/api/exchange/v1/disputes/" + id + "/history").then()
                    .body("[0].details.handlerDepartmentCode", equalTo(HANGZHOU_AUTHORITY));
            // the city's 主管部门 is told, not the province's, and not the region at large
            assertEquals(1, openedNotices(HANGZHOU_AUTHORITY, id));
            assertEquals(0, openedNotices(DemoData.AUTHORITY, id));
            assertEquals(0, io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> cn.onenet.exchange
                    .model.Notice.count("departmentCode is null and subjectType = 'DISPUTE' and subjectId = ?1", id)));
            String hangzhouReviewer = reviewerIn("reviewer-hz-authority", HANGZHOU_AUTHORITY, "330100");
            given().auth().oauth2(hangzhouReviewer).get("/api/exchange/v1/notices").then().statusCode(200)
                    .body("findAll { it.kind == 'DISPUTE_OPENED' }.subjectId", hasItem((int) id));

            // identity-service down: the copy read last still names the city's 主管部门
            FakeDepartmentRegister.down(true);
            try {
                assertEquals(-1, register.refresh());
                long second = dispute(ReturnFlowTest.operatorIn(XIHU, "330106"), CITY_ENTRY);
                given().auth().oauth2(CITY_REVIEWER).get("/api/exchange/v1/disputes/" + second).then()
                        .statusCode(200).body("handlerDepartmentCode", equalTo(HANGZHOU_AUTHORITY));
                assertEquals(1, openedNotices(HANGZHOU_AUTHORITY, second));
            } finally {
                FakeDepartmentRegister.down(false);
            }
            // a province-level dispute still names the province's 主管部门
            assertEquals("113300000024810109", register.authorityCodeOf("330000"));
            assertEquals(null, register.authorityCodeOf("330200"));
        } finally {
            FakeDepartmentRegister.set(FakeDepartmentRegister.provinceOnly());
            register.refresh();
        }
        assertEquals(null, register.authorityCodeOf("330100"));
    }
}
