package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * 条例 Art. 15 ¶1: 有条件共享 data is asked for one of the purposes its catalogue entry lists (使用用途); the concrete
 * case is the request's scenario. Checked at filing, at resubmission, again at the head's approval and at the
 * provider's approval (its operator's, its clerk's proposal, its head's approval of a proposed answer).
 */
@QuarkusTest
class PermittedPurposeTest extends ExchangeTestBase {

    static final String REQUESTS = "/api/exchange/v1/requests/";
    static final List<String> PURPOSES = List.of("社会保障待遇资格认证", "最低生活保障家庭经济状况核对");

    /** A fresh entry of the test provider with the given share attribute and the two purposes above. */
    private Map<String, Object> entry(String code, String share) {
        Map<String, Object> entry = FakeCatalog.add("PUBLISHED", code, "用途测试目录 " + code,
                RequestWorkflowTest.PROVIDER, share, "LEVEL_3", "GMSFHM",
                List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", true)));
        entry.put("permittedPurposes", PURPOSES);
        replica.pollOnce();
        return entry;
    }

    private static Map<String, Object> body(String code, String purpose) {
        Map<String, Object> body = RequestWorkflowTest.body(code, List.of("GMSFHM"));
        body.put("purpose", purpose);
        return body;
    }

    private static List<Long> filed(String token, String code) {
        return given().auth().oauth2(token).get(REQUESTS + "?side=consumer&size=100").then().statusCode(200)
                .extract().jsonPath().<Map<String, Object>>getList("$").stream()
                .filter(r -> code.equals(r.get("resourceCode"))).map(r -> ((Number) r.get("id")).longValue()).toList();
    }

    @Test
    void aConditionalEntryIsAskedOnlyForAPurposeItLists() {
        String code = "330000-01-02/900611";
        entry(code, "CONDITIONAL");
        String dept = NoticeReadTest.freshDepartment();
        String consumer = operator(dept);
        RequestWorkflowTest.file(consumer, body(code, "住房公积金贷款审批")).then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("purpose"))
                .body("errors[0].message", containsString("社会保障待遇资格认证；最低生活保障家庭经济状况核对"))
                // the English half names them too, for a reader who does not read the Chinese one
                .body("errors[0].message", containsString("permits: 社会保障待遇资格认证; 最低生活保障家庭经济状况核对"))
                .body("permittedPurposes", equalTo(PURPOSES)).body("requestId", org.hamcrest.Matchers.notNullValue());
        assertEquals(List.of(), filed(consumer, code), "a refused filing leaves no request");
        // the second listed purpose, with the concrete case as the scenario
        RequestWorkflowTest.file(consumer, body(code, "最低生活保障家庭经济状况核对")).then().statusCode(201)
                .body("status", equalTo("PENDING")).body("purpose", equalTo("最低生活保障家庭经济状况核对"));
    }

    @Test
    void unconditionalDataAndDeclaredCovertUsesAreNotBoundToTheListedPurposes() {
        String open = "330000-01-02/900612";
        entry(open, "UNCONDITIONAL");
        RequestWorkflowTest.file(operator(NoticeReadTest.freshDepartment()), body(open, "住房公积金贷款审批")).then()
                .statusCode(201).body("status", equalTo("GRANTED"));
        // a covert use rests on the law it cites
        String conditional = "330000-01-02/900613";
        entry(conditional, "CONDITIONAL");
        Map<String, Object> covert = body(conditional, "涉嫌诈骗案件侦查，核查嫌疑人身份信息");
        covert.put("covertUse", Map.of("legalBasis", "《中华人民共和国刑事诉讼法》第一百五十条", "maxPeriod", "P6M"));
        RequestWorkflowTest.file(operator(NoticeReadTest.freshDepartment()), covert).then().statusCode(201)
                .body("status", equalTo("PENDING"));
    }

    @Test
    void theHeadCannotApproveForAPurposeTheEntryNoLongerLists() {
        String code = "330000-01-02/900614";
        Map<String, Object> v1 = entry(code, "CONDITIONAL");
        String dept = NoticeReadTest.freshDepartment();
        long id = RequestWorkflowTest.file(operatorOnly("clerk-" + dept, dept), body(code, "最低生活保障家庭经济状况核对"))
                .then().statusCode(201).body("status", equalTo("AWAITING_HEAD_APPROVAL")).extract().jsonPath()
                .getLong("id");
        // the provider narrows the entry's purposes before the head approves
        Map<String, Object> v2 = new LinkedHashMap<>(v1);
        v2.put("version", 2);
        v2.put("permittedPurposes", List.of("社会保障待遇资格认证"));
        FakeCatalog.addItem("PUBLISHED", v2);
        replica.pollOnce();
        String head = head("head-" + dept, dept, "周主任");
        HeadApprovalTest.post(head, id, "head-approval", Map.of("version", 0)).then().statusCode(409)
                .contentType("application/problem+json").body("errors[0].field", equalTo("purpose"))
                .body("permittedPurposes", equalTo(List.of("社会保障待遇资格认证")));
        given().auth().oauth2(head).get(REQUESTS + id).then().statusCode(200)
                .body("status", equalTo("AWAITING_HEAD_APPROVAL"));
    }

    @Test
    void aResubmissionKeepsToTheListedPurposes() {
        String code = "330000-01-02/900615";
        entry(code, "CONDITIONAL");
        String consumer = operator(NoticeReadTest.freshDepartment());
        long id = RequestWorkflowTest.file(consumer, body(code, "社会保障待遇资格认证")).then().statusCode(201)
                .extract().jsonPath().getLong("id");
        String provider = operator(RequestWorkflowTest.PROVIDER);
        given().auth().oauth2(provider).contentType(ContentType.JSON)
                .body(Map.of("version", 0, "reason", "请说明具体业务")).post(REQUESTS + id + "/supplement").then()
                .statusCode(200).body("status", equalTo("SUPPLEMENT_REQUESTED"));
        int version = given().auth().oauth2(consumer).get(REQUESTS + id).then().statusCode(200).extract()
                .jsonPath().getInt("version");
        given().auth().oauth2(consumer).contentType(ContentType.JSON)
                .body(Map.of("version", version, "purpose", "住房公积金贷款审批")).post(REQUESTS + id + "/resubmit")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("purpose"));
        given().auth().oauth2(consumer).get(REQUESTS + id).then().statusCode(200)
                .body("status", equalTo("SUPPLEMENT_REQUESTED")).body("purpose", equalTo("社会保障待遇资格认证"));
    }

    @Test
    void aVersionThatDropsAPurposeEndsTheGrantsForItAndOnlyThose() {
        String code = "330000-01-02/900616";
        Map<String, Object> v1 = entry(code, "CONDITIONAL");
        String consumer = operator(NoticeReadTest.freshDepartment());
        long kept = grant(consumer, code, "社会保障待遇资格认证");
        long dropped = grant(consumer, code, "最低生活保障家庭经济状况核对");
        // a version that keeps both purposes changes neither grant
        Map<String, Object> v2 = new LinkedHashMap<>(v1);
        v2.put("version", 2);
        v2.put("name", "用途测试目录（更名）" + code);
        FakeCatalog.addItem("PUBLISHED", v2);
        replica.pollOnce();
        given().auth().oauth2(consumer).get(GRANTS + dropped).then().statusCode(200).body("status", equalTo("ACTIVE"));
        // the next drops one: its grant ends with the catalogue's reason, the other stays
        Map<String, Object> v3 = new LinkedHashMap<>(v2);
        v3.put("version", 3);
        v3.put("permittedPurposes", List.of("社会保障待遇资格认证"));
        FakeCatalog.addItem("PUBLISHED", v3);
        replica.pollOnce();
        given().auth().oauth2(consumer).get(GRANTS + dropped).then().statusCode(200)
                .body("status", equalTo("TERMINATED")).body("statusReason", containsString("最低生活保障家庭经济状况核对"))
                .body("lastDecision.automatic", equalTo(true));
        given().auth().oauth2(consumer).get(GRANTS + kept).then().statusCode(200).body("status", equalTo("ACTIVE"));
    }

    @Test
    void theProviderCannotApproveForAPurposeTheEntryNoLongerLists() {
        String code = "330000-01-02/900617";
        Map<String, Object> v1 = entry(code, "CONDITIONAL");
        String consumer = operator(NoticeReadTest.freshDepartment());
        String provider = RequestWorkflowTest.PROVIDER;
        String clerk = operatorOnly("purpose-clerk", provider);
        String providerHead = head("purpose-head", provider, "周主任");
        String dropped = "最低生活保障家庭经济状况核对";
        long pending = RequestWorkflowTest.file(consumer, body(code, dropped)).then().statusCode(201)
                .body("status", equalTo("PENDING")).extract().jsonPath().getLong("id");
        long proposed = RequestWorkflowTest.file(consumer, body(code, dropped)).then().statusCode(201).extract()
                .jsonPath().getLong("id");
        HeadApprovalTest.post(clerk, proposed, "approve", Map.of("version", 0)).then().statusCode(200)
                .body("status", equalTo("ANSWER_AWAITING_HEAD"));
        int proposedVersion = version(proposed);
        // the catalogue no longer permits that purpose (version 2)
        Map<String, Object> v2 = new LinkedHashMap<>(v1);
        v2.put("version", 2);
        v2.put("permittedPurposes", List.of("社会保障待遇资格认证"));
        FakeCatalog.addItem("PUBLISHED", v2);
        replica.pollOnce();

        // the provider's operator holding head, a clerk proposing an approval, the head approving a proposal made
        // before the change: 409 naming purpose, in Chinese and English, nothing changed
        refusedForPurpose(HeadApprovalTest.post(operator(provider), pending, "approve", Map.of("version", 0)));
        refusedForPurpose(HeadApprovalTest.post(clerk, pending, "approve", Map.of("version", 0)));
        given().auth().oauth2(operator(provider)).get(REQUESTS + pending).then().statusCode(200)
                .body("status", equalTo("PENDING")).body("version", equalTo(0))
                .body("grantId", org.hamcrest.Matchers.nullValue())
                .body("proposedAnswer", org.hamcrest.Matchers.nullValue());
        refusedForPurpose(HeadApprovalTest.post(providerHead, proposed, "answer-approval",
                Map.of("version", proposedVersion)));
        given().auth().oauth2(operator(provider)).get(REQUESTS + proposed).then().statusCode(200)
                .body("status", equalTo("ANSWER_AWAITING_HEAD")).body("version", equalTo(proposedVersion))
                .body("grantId", org.hamcrest.Matchers.nullValue());

        // what stays possible: the provider refuses with reasons, the head returns the proposal
        HeadApprovalTest.post(operator(provider), pending, "refuse", Map.of("version", 0, "reason",
                "目录已不再列明该使用用途")).then().statusCode(200).body("status", equalTo("REFUSED"));
        HeadApprovalTest.post(providerHead, proposed, "answer-return", Map.of("version", proposedVersion, "reason",
                "使用用途已不在目录中")).then().statusCode(200).body("status", equalTo("PENDING"));
    }

    /**
     * Lifting a suspension is held to the entry as it is then: a grant issued while the entry bound no purpose, for a
     * purpose the entry lists none of since (a version that starts listing purposes ends no grant), is not resumed by
     * the provider nor by the 主管部门: 409 naming purpose, the grant stays suspended. A grant for a listed purpose is.
     */
    @Test
    void aSuspendedGrantIsNotResumedForAPurposeTheEntryNoLongerAllows() {
        String code = "330000-01-02/900618";
        Map<String, Object> v1 = FakeCatalog.add("PUBLISHED", code, "用途测试目录 " + code, RequestWorkflowTest.PROVIDER,
                "CONDITIONAL", "LEVEL_3", "GMSFHM", List.of(Map.of("code", "GMSFHM", "name", "公民身份号码",
                        "sensitive", true)));
        v1.put("permittedPurposes", List.of());
        replica.pollOnce();
        String consumer = operator(NoticeReadTest.freshDepartment());
        String provider = operator(RequestWorkflowTest.PROVIDER);
        long unlisted = grant(consumer, code, "不动产登记业务办理");
        long listed = grant(consumer, code, "社会保障待遇资格认证");
        for (long g : List.of(unlisted, listed)) {
            DeliveryTest.governGrant(provider, g, "suspend", 0, "核查使用情况，暂停").then().statusCode(200)
                    .body("status", equalTo("SUSPENDED"));
        }
        // version 2 lists purposes: it ends no grant (none was for a purpose listed before)
        Map<String, Object> v2 = new LinkedHashMap<>(v1);
        v2.put("version", 2);
        v2.put("permittedPurposes", PURPOSES);
        FakeCatalog.addItem("PUBLISHED", v2);
        replica.pollOnce();
        given().auth().oauth2(consumer).get(GRANTS + unlisted).then().statusCode(200)
                .body("status", equalTo("SUSPENDED")).body("version", equalTo(1));

        for (String token : List.of(provider, reviewer())) {
            DeliveryTest.governGrant(token, unlisted, "resume", 1, "核查完毕，恢复共享").then().statusCode(409)
                    .contentType("application/problem+json")
                    .body("type", equalTo("urn:onenet:problem:illegal-transition"))
                    .body("errors.field", equalTo(List.of("purpose")))
                    .body("detail", containsString("目录已不再允许该用途"))
                    .body("permittedPurposes", equalTo(PURPOSES))
                    .body("requestId", org.hamcrest.Matchers.notNullValue());
        }
        given().auth().oauth2(consumer).get(GRANTS + unlisted).then().statusCode(200)
                .body("status", equalTo("SUSPENDED")).body("version", equalTo(1));
        DeliveryTest.governGrant(provider, listed, "resume", 1, "核查完毕，恢复共享").then().statusCode(200)
                .body("status", equalTo("ACTIVE"));
    }

    private static int version(long request) {
        return given().auth().oauth2(operator(RequestWorkflowTest.PROVIDER)).get(REQUESTS + request).then()
                .statusCode(200).extract().jsonPath().getInt("version");
    }

    /** 409 problem+json naming purpose with the purposes the entry lists now. */
    static void refusedForPurpose(io.restassured.response.Response r) {
        r.then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("urn:onenet:problem:illegal-transition"))
                .body("errors.field", equalTo(List.of("purpose")))
                .body("detail", containsString("目录已不再允许该用途"))
                .body("detail", containsString("no longer permits"))
                .body("permittedPurposes", equalTo(List.of("社会保障待遇资格认证")))
                .body("requestId", org.hamcrest.Matchers.notNullValue());
    }

    static final String GRANTS = "/api/exchange/v1/grants/";

    /** A grant on the entry for the purpose: filed by the consumer, approved by the provider. */
    private static long grant(String consumer, String code, String purpose) {
        long request = RequestWorkflowTest.file(consumer, body(code, purpose)).then().statusCode(201).extract()
                .jsonPath().getLong("id");
        return DeliveryTest.approve(request).then().statusCode(200).extract().jsonPath().getLong("grantId");
    }
}
