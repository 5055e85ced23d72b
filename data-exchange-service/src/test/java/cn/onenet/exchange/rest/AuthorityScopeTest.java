package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.service.DemoData;
import cn.onenet.testsupport.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * Who acts for the 主管部门 outside disputes: every objection is listed to it (R13); grants are governed and extensions
 * approved only by the 主管部门 of the region of both departments and never by a party's own staff, as for disputes
 * (R17); a provider's data and proxy endpoint are written by the provider's department only; a grant change only
 * narrows its period.
 */
@QuarkusTest
class AuthorityScopeTest extends ExchangeTestBase {

    /** 杭州市 (330100) entries of their own, so the grants and endpoints here disturb no other test. */
    static final String CITY_UNCONDITIONAL = "330100-01-02/900701";
    static final String CITY_CONDITIONAL = "330100-01-02/900702";
    static final String CITY_PROXIED = "330100-01-02/900703";
    /** For the change of period: a grant the governance test ends would send new filings to review. */
    static final String CITY_CHANGED = "330100-01-02/900704";
    static final String CITY_PROVIDER = "11330100MB00000075"; // a department of 杭州市
    static final String CITY_CONSUMER = "11330100MB00000055"; // another department of 杭州市

    static final String CITY_REVIEWER = reviewerIn("reviewer-hz-2", "11330100MB00000095", "330100");
    static final String XIHU_REVIEWER = reviewerIn("reviewer-xh", "11330106MB00000096", "330106"); // a county inside
    static final String NINGBO_REVIEWER = reviewerIn("reviewer-nb-2", "11330200MB00000097", "330200");
    /** Reviewers of the 杭州市 主管部门's region whose department is a party. */
    static final String CONSUMER_REVIEWER = reviewerIn("reviewer-consumer", CITY_CONSUMER, "330100");
    static final String PROVIDER_REVIEWER = reviewerIn("reviewer-provider", CITY_PROVIDER, "330100");

    static boolean entriesKnown;

    @BeforeEach
    void cityEntries() {
        if (entriesKnown) {
            return;
        }
        for (String[] e : new String[][] { { CITY_UNCONDITIONAL, "UNCONDITIONAL" }, { CITY_CONDITIONAL, "CONDITIONAL" },
                { CITY_PROXIED, "UNCONDITIONAL" }, { CITY_CHANGED, "UNCONDITIONAL" } }) {
            FakeCatalog.add("PUBLISHED", e[0], "市级测试目录 " + e[0], CITY_PROVIDER, e[1], "LEVEL_2", "GMSFHM",
                    List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", true),
                            Map.of("code", "XM", "name", "姓名", "sensitive", true)))
                    .put("regionCode", "330100");
        }
        replica.pollOnce();
        entriesKnown = true;
    }

    static String consumer() {
        return ReturnFlowTest.operatorIn(CITY_CONSUMER, "330100");
    }

    static String provider() {
        return ReturnFlowTest.operatorIn(CITY_PROVIDER, "330100");
    }

    static String adminOf(String dept) {
        return TestTokens.civilServant("admin-" + dept, dept, AUD, "admin");
    }

    static long cityGrant(String resourceCode) {
        return RequestWorkflowTest.file(consumer(), RequestWorkflowTest.body(resourceCode, List.of("GMSFHM", "XM")))
                .then().statusCode(201).body("status", equalTo("GRANTED")).extract().jsonPath().getLong("grantId");
    }

    static ValidatableResponse govern(String token, long grant, String action, Map<String, Object> body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .post("/api/exchange/v1/grants/" + grant + "/" + action).then();
    }

    static ValidatableResponse objections(String token) {
        return given().auth().oauth2(token).get("/api/exchange/v1/objections").then().statusCode(200);
    }

    @Test
    void theAuthorityOfItsRegionListsAnObjectionAndAnOperatorOnlyItsDepartments() {
        long id = given().auth().oauth2(operator(DemoData.HUMAN_RESOURCES)).contentType(ContentType.JSON)
                .body(Map.of("resourceCode", FakeCatalog.POPULATION, "recordKey", "33010619850312001X",
                        "description", "出生日期有误"))
                .post("/api/exchange/v1/objections").then().statusCode(201).extract().jsonPath().getLong("id");
        // reviewers, admins and auditors carry the 主管部门's dept, which is neither party; an objection between two
        // provincial departments is the province's, not a city's (R17)
        for (String authority : List.of(reviewer(), auditor(), admin())) {
            objections(authority).body("id", hasItem((int) id));
        }
        objections(CITY_REVIEWER).body("id", not(hasItem((int) id)));
        objections(operator(DemoData.HUMAN_RESOURCES)).body("id", hasItem((int) id));
        objections(operator(DemoData.POLICE)).body("id", hasItem((int) id));
        objections(operator(DemoData.MARKET)).body("id", not(hasItem((int) id)));
    }

    @Test
    void onlyTheAuthorityOfTheGrantsRegionAndNoPartyGovernsIt() {
        long grant = cityGrant(CITY_UNCONDITIONAL);
        Map<String, Object> suspend = Map.of("version", 0, "reason", "超范围调用，暂停核查");
        // the province, a county inside the city and another city: to them the grant's governance does not exist
        long none = grant + 1_000_000;
        for (String other : List.of(reviewer(), XIHU_REVIEWER, NINGBO_REVIEWER)) {
            for (long g : List.of(grant, none)) {
                govern(other, g, "suspend", suspend).statusCode(404).contentType("application/problem+json");
                govern(other, g, "terminate", suspend).statusCode(404);
                govern(other, g, "change", Map.of("version", 0, "reason", "缩减", "items", List.of("GMSFHM")))
                        .statusCode(404);
            }
        }
        // a reviewer token without region governs no grant, existing or not
        for (long g : List.of(grant, none)) {
            govern(reviewerIn("reviewer-x2", DemoData.AUTHORITY, null), g, "suspend", suspend).statusCode(403);
        }
        // a party's reviewers and admins do not govern its own grant
        for (String party : List.of(CONSUMER_REVIEWER, PROVIDER_REVIEWER, adminOf(CITY_CONSUMER))) {
            govern(party, grant, "suspend", suspend).statusCode(403).contentType("application/problem+json");
            govern(party, grant, "terminate", suspend).statusCode(403);
        }
        given().auth().oauth2(consumer()).get("/api/exchange/v1/grants/" + grant).then().body("version", equalTo(0))
                .body("status", equalTo("ACTIVE"));
        govern(CITY_REVIEWER, grant, "suspend", suspend).statusCode(200).body("status", equalTo("SUSPENDED"));
        // the consumer department's own reviewer cannot lift its suspension, nor another region's
        Map<String, Object> resume = Map.of("version", 1, "reason", "已整改");
        govern(CONSUMER_REVIEWER, grant, "resume", resume).statusCode(403);
        govern(reviewer(), grant, "resume", resume).statusCode(404);
        govern(CITY_REVIEWER, grant, "resume", resume).statusCode(200).body("status", equalTo("ACTIVE"));
        govern(CITY_REVIEWER, grant, "change", Map.of("version", 2, "reason", "缩减数据项", "items", List.of("GMSFHM")))
                .statusCode(200).body("items", equalTo(List.of("GMSFHM")));
        // the platform's admin is not the 主管部门 and governs no region's grants; the provider's operators their own
        govern(admin(), grant, "suspend", Map.of("version", 3, "reason", "核查")).statusCode(403)
                .contentType("application/problem+json");
        govern(CITY_REVIEWER, grant, "suspend", Map.of("version", 3, "reason", "核查")).statusCode(200);
        // a 无条件共享 grant is not the provider's to stop (R15): the 主管部门 ends it
        govern(provider(), grant, "terminate", Map.of("version", 4, "reason", "业务办结")).statusCode(403)
                .contentType("application/problem+json");
        govern(admin(), grant, "terminate", Map.of("version", 4, "reason", "违规使用未整改")).statusCode(403);
        govern(CITY_REVIEWER, grant, "terminate", Map.of("version", 4, "reason", "违规使用未整改")).statusCode(200)
                .body("status", equalTo("TERMINATED"));
    }

    @Test
    void aChangeOnlyShortensTheGrantsPeriod() {
        long grant = cityGrant(CITY_CHANGED);
        String validTo = given().auth().oauth2(CITY_REVIEWER).get("/api/exchange/v1/grants/" + grant).then()
                .statusCode(200).extract().jsonPath().getString("validTo");
        LocalDate end = LocalDate.parse(validTo);
        govern(CITY_REVIEWER, grant, "change", Map.of("version", 0, "reason", "延长", "validTo", end.plusDays(1).toString()))
                .statusCode(400).contentType("application/problem+json").body("field", equalTo("validTo"));
        govern(CITY_REVIEWER, grant, "change",
                Map.of("version", 0, "reason", "延长", "validTo", end.plusYears(1).toString())).statusCode(400)
                .body("field", equalTo("validTo"));
        given().auth().oauth2(CITY_REVIEWER).get("/api/exchange/v1/grants/" + grant).then().body("version", equalTo(0))
                .body("validTo", equalTo(validTo));
        govern(CITY_REVIEWER, grant, "change", Map.of("version", 0, "reason", "到期不变", "validTo", validTo))
                .statusCode(200).body("validTo", equalTo(validTo));
        govern(CITY_REVIEWER, grant, "change",
                Map.of("version", 1, "reason", "缩短期限", "validTo", end.minusMonths(1).toString())).statusCode(200)
                .body("validTo", equalTo(end.minusMonths(1).toString()));
    }

    @Test
    void onlyTheAuthorityOfTheRequestsRegionAndNoPartyApprovesAnExtension() {
        long id = RequestWorkflowTest.file(consumer(), RequestWorkflowTest.body(CITY_CONDITIONAL, List.of("XM")))
                .then().statusCode(201).body("status", equalTo("PENDING")).extract().jsonPath().getLong("id");
        given().auth().oauth2(provider()).contentType(ContentType.JSON)
                .body(Map.of("version", 0, "reason", "需核对历史数据", "days", 5))
                .post("/api/exchange/v1/requests/" + id + "/extension").then().statusCode(200);
        for (String other : List.of(reviewer(), XIHU_REVIEWER, NINGBO_REVIEWER)) {
            for (long request : List.of(id, id + 1_000_000)) {
                approveExtension(other, request).statusCode(404).contentType("application/problem+json");
            }
        }
        for (String party : List.of(CONSUMER_REVIEWER, PROVIDER_REVIEWER, adminOf(CITY_PROVIDER))) {
            approveExtension(party, id).statusCode(403).contentType("application/problem+json");
        }
        approveExtension(CITY_REVIEWER, id).statusCode(200).body("extended", equalTo(true));
    }

    /** A reviewer of a 杭州 department that is neither a party nor the city's 主管部门 (no competent_authority claim). */
    static final String THIRD_DEPARTMENT_REVIEWER = reviewerOfDepartment("reviewer-hz-third", "11330100MB00000065",
            "330100");

    @Test
    void aReviewerOfAnotherDepartmentThanTheAuthorityDoesNotSuspend() {
        String consumer = ReturnFlowTest.operatorIn("11330100MB00000056", "330100");
        long grant = RequestWorkflowTest.file(consumer, RequestWorkflowTest.body(CITY_UNCONDITIONAL, List.of("XM")))
                .then().statusCode(201).body("status", equalTo("GRANTED")).extract().jsonPath().getLong("grantId");
        Map<String, Object> suspend = Map.of("version", 0, "reason", "超范围调用，暂停核查");
        govern(THIRD_DEPARTMENT_REVIEWER, grant, "suspend", suspend).statusCode(403)
                .contentType("application/problem+json").body("field", equalTo("competent_authority"))
                .body("requestId", org.hamcrest.Matchers.notNullValue());
        govern(THIRD_DEPARTMENT_REVIEWER, grant, "terminate", suspend).statusCode(403);
        govern(admin(), grant, "suspend", suspend).statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(consumer).get("/api/exchange/v1/grants/" + grant).then().body("status", equalTo("ACTIVE"))
                .body("version", equalTo(0));
        govern(CITY_REVIEWER, grant, "suspend", suspend).statusCode(200).body("status", equalTo("SUSPENDED"))
                .body("suspendedBy", equalTo("AUTHORITY"));
        // nor does it lift the 主管部门's suspension
        Map<String, Object> resume = Map.of("version", 1, "reason", "已整改");
        govern(THIRD_DEPARTMENT_REVIEWER, grant, "resume", resume).statusCode(403);
        govern(admin(), grant, "resume", resume).statusCode(403);
        govern(CITY_REVIEWER, grant, "resume", resume).statusCode(200).body("status", equalTo("ACTIVE"));
    }

    @Test
    void aReviewerOfAnotherDepartmentThanTheAuthorityDoesNotApproveAnExtension() {
        String consumer = ReturnFlowTest.operatorIn("11330100MB00000058", "330100");
        long id = RequestWorkflowTest.file(consumer, RequestWorkflowTest.body(CITY_CONDITIONAL, List.of("XM")))
                .then().statusCode(201).body("status", equalTo("PENDING")).extract().jsonPath().getLong("id");
        given().auth().oauth2(provider()).contentType(ContentType.JSON)
                .body(Map.of("version", 0, "reason", "需核对历史数据", "days", 5))
                .post("/api/exchange/v1/requests/" + id + "/extension").then().statusCode(200);
        approveExtension(THIRD_DEPARTMENT_REVIEWER, id).statusCode(403).contentType("application/problem+json")
                .body("field", equalTo("competent_authority"));
        approveExtension(admin(), id).statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(THIRD_DEPARTMENT_REVIEWER).contentType(ContentType.JSON)
                .body(Map.of("version", 1, "reason", "不予延期")).post("/api/exchange/v1/requests/" + id
                        + "/extension/refuse")
                .then().statusCode(403);
        given().auth().oauth2(consumer).get("/api/exchange/v1/requests/" + id).then().body("extended", equalTo(false))
                .body("version", equalTo(1));
        approveExtension(CITY_REVIEWER, id).statusCode(200).body("extended", equalTo(true));
    }

    static ValidatableResponse approveExtension(String token, long request) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("version", 1))
                .post("/api/exchange/v1/requests/" + request + "/extension/approve").then();
    }

    @Test
    void onlyTheProvidersDepartmentWritesItsDataAndItsEndpoint() {
        String records = "/api/exchange/v1/datasets/" + FakeCatalog.encoded(CITY_PROXIED) + "/records";
        String proxy = "/api/exchange/v1/datasets/" + FakeCatalog.encoded(CITY_PROXIED) + "/proxy";
        List<Map<String, Object>> rows = List.of(Map.of("GMSFHM", "330110200102150773", "XM", "张伟"));
        Map<String, Object> endpoint = Map.of("endpointUrl", "https://elsewhere.example/lookup");
        for (String stranger : List.of(admin(), adminOf(CITY_CONSUMER), consumer())) {
            given().urlEncodingEnabled(false).auth().oauth2(stranger).contentType(ContentType.JSON).body(rows)
                    .post(records).then().statusCode(403).contentType("application/problem+json");
            given().urlEncodingEnabled(false).auth().oauth2(stranger).contentType("text/csv")
                    .body("GMSFHM,XM\n330110200102150773,张伟\n")
                    .post("/api/exchange/v1/datasets/" + FakeCatalog.encoded(CITY_PROXIED) + "/uploads").then()
                    .statusCode(403);
            given().urlEncodingEnabled(false).auth().oauth2(stranger).contentType(ContentType.JSON).body(endpoint)
                    .put(proxy).then().statusCode(403).contentType("application/problem+json");
        }
        for (String own : List.of(provider(), adminOf(CITY_PROVIDER))) {
            given().urlEncodingEnabled(false).auth().oauth2(own).contentType(ContentType.JSON).body(rows)
                    .post(records).then().statusCode(201).body("records", equalTo(1));
        }
        given().urlEncodingEnabled(false).auth().oauth2(provider()).contentType(ContentType.JSON)
                .body(Map.of("endpointUrl", "https://city-provider.example/lookup")).put(proxy).then().statusCode(200)
                .body("url", equalTo("https://city-provider.example/lookup"));
        given().urlEncodingEnabled(false).auth().oauth2(adminOf(CITY_PROVIDER)).contentType(ContentType.JSON)
                .body(Map.of("endpointUrl", "https://city-provider.example/v2/lookup")).put(proxy).then()
                .statusCode(200);
    }
}
