package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.service.DemoData;
import cn.onenet.exchange.service.GrantService;
import cn.onenet.testsupport.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;

/**
 * The append-only history of requests, grants, disputes and objections: every state change with who (subject,
 * department, role), when, from → to, the action and the reason / legal basis as given; readable by the parties, the
 * 主管部门 and auditors only; never updated or deleted.
 */
@QuarkusTest
class StateHistoryTest extends ExchangeTestBase {

    static final String PROVIDER = RequestWorkflowTest.PROVIDER;
    static final String API = "/api/exchange/v1";

    @Inject
    AgroalDataSource dataSource;
    @Inject
    GrantService grantService;

    static ValidatableResponse history(String token, String object, long id) {
        return given().auth().oauth2(token).get(API + "/" + object + "/" + id + "/history").then();
    }

    static Response post(String token, String path, Map<String, Object> body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body).post(API + path);
    }

    @Test
    void everyStepOfARequestAndItsGrantNamesItsActorStatesAndReasonsInOrder() {
        String code = "330000-01-02/900501";
        DeliveryTest.freshEntry(replica, code, "CONDITIONAL");
        String dept = "11330000MB00000101";
        String consumer = operator(dept);
        String provider = operator(PROVIDER);
        long id = RequestWorkflowTest.file(consumer, RequestWorkflowTest.body(code, List.of("GMSFHM", "XM")))
                .then().statusCode(201).body("status", equalTo("PENDING")).body("lastDecision", nullValue())
                .extract().jsonPath().getLong("id");
        post(provider, "/requests/" + id + "/extension", Map.of("version", 0, "reason", "需核对历史数据", "days", 5))
                .then().statusCode(200);
        post(reviewer(), "/requests/" + id + "/extension/approve", Map.of("version", 1, "reason", "同意延期"))
                .then().statusCode(200);
        long grant = post(provider, "/requests/" + id + "/approve",
                Map.of("version", 2, "items", List.of("GMSFHM"), "note", "同意共享，仅限最低生活保障审核使用"))
                .then().statusCode(200).body("status", equalTo("APPROVED"))
                // the view names the last decider and when it decided
                .body("lastDecision.action", equalTo("APPROVE")).body("lastDecision.actor.subject", equalTo("op-" + PROVIDER))
                .body("lastDecision.actor.departmentCode", equalTo(PROVIDER))
                .body("lastDecision.actor.role", equalTo("operator")).body("lastDecision.at", notNullValue())
                .extract().jsonPath().getLong("grantId");

        history(consumer, "requests", id).statusCode(200)
                .body("action", equalTo(List.of("FILE", "REQUEST_EXTENSION", "APPROVE_EXTENSION", "APPROVE")))
                .body("fromStatus", equalTo(Arrays.asList(null, "PENDING", "PENDING", "PENDING")))
                .body("toStatus", equalTo(List.of("PENDING", "PENDING", "PENDING", "APPROVED")))
                .body("actor.subject", equalTo(List.of("op-" + dept, "op-" + PROVIDER, "reviewer-1", "op-" + PROVIDER)))
                .body("actor.departmentCode", equalTo(List.of(dept, PROVIDER, DemoData.AUTHORITY, PROVIDER)))
                .body("actor.role", equalTo(List.of("operator", "operator", "reviewer", "operator")))
                .body("decision", equalTo(List.of(false, false, false, true)))
                .body("automatic", equalTo(List.of(false, false, false, false)))
                .body("reason", equalTo(Arrays.asList(null, "需核对历史数据", "同意延期", "同意共享，仅限最低生活保障审核使用")))
                .body("[0].legalBasis", equalTo("《社会救助暂行办法》第十一条"))
                .body("[1].details.days", equalTo(5))
                .body("[3].details.grantId", equalTo((int) grant)).body("[3].details.items", equalTo(List.of("GMSFHM")))
                .body("shareRequestId", equalTo(List.of((int) id, (int) id, (int) id, (int) id)))
                .body("at", hasSize(4));

        // suspended by the 主管部门 and lifted by it (not by the provider, R14), terminated by another of its reviewers,
        // disposal confirmed by the consumer
        given().auth().oauth2(reviewer()).header("X-Request-Id", "history-suspend-" + grant).contentType(ContentType.JSON)
                .body(Map.of("version", 0, "reason", "发现超出授权用途批量调用，暂停核查"))
                .post(API + "/grants/" + grant + "/suspend").then().statusCode(200);
        post(reviewer(), "/grants/" + grant + "/resume", Map.of("version", 1, "reason", "核查完毕，使用部门已整改"))
                .then().statusCode(200);
        post(reviewerIn("reviewer-2", DemoData.AUTHORITY, "330000"), "/grants/" + grant + "/terminate",
                Map.of("version", 2, "reason", "业务职能调整，共享用途已不存在"))
                .then().statusCode(200).body("lastDecision.action", equalTo("TERMINATE"))
                .body("lastDecision.actor.subject", equalTo("reviewer-2"));
        post(consumer, "/grants/" + grant + "/disposal", Map.of("version", 3, "reason", "已删除全部共享数据"))
                .then().statusCode(200)
                // confirming disposal is no decision: the termination stays the last one
                .body("lastDecision.action", equalTo("TERMINATE"));

        history(provider, "grants", grant).statusCode(200)
                .body("action", equalTo(List.of("CREATE", "SUSPEND", "RESUME", "TERMINATE", "CONFIRM_DISPOSAL")))
                .body("fromStatus", equalTo(Arrays.asList(null, "ACTIVE", "SUSPENDED", "ACTIVE", "TERMINATED")))
                .body("toStatus", equalTo(List.of("ACTIVE", "SUSPENDED", "ACTIVE", "TERMINATED", "TERMINATED")))
                .body("actor.subject", equalTo(List.of("op-" + PROVIDER, "reviewer-1", "reviewer-1", "reviewer-2",
                        "op-" + dept)))
                .body("actor.departmentCode", equalTo(List.of(PROVIDER, DemoData.AUTHORITY, DemoData.AUTHORITY,
                        DemoData.AUTHORITY, dept)))
                .body("actor.role", equalTo(List.of("operator", "reviewer", "reviewer", "reviewer", "operator")))
                .body("decision", equalTo(List.of(true, true, true, true, false)))
                .body("reason", equalTo(List.of("同意共享，仅限最低生活保障审核使用", "发现超出授权用途批量调用，暂停核查",
                        "核查完毕，使用部门已整改", "业务职能调整，共享用途已不存在", "已删除全部共享数据")))
                .body("[0].legalBasis", equalTo("《社会救助暂行办法》第十一条"))
                .body("[0].details.basis", equalTo("有条件共享"))
                .body("[0].details.items", equalTo(List.of("GMSFHM")))
                .body("[1].requestId", equalTo("history-suspend-" + grant))
                .body("shareRequestId", equalTo(List.of((int) id, (int) id, (int) id, (int) id, (int) id)));
        given().auth().oauth2(consumer).get(API + "/grants/" + grant).then().statusCode(200)
                .body("lastDecision.action", equalTo("TERMINATE")).body("lastDecision.actor.role", equalTo("reviewer"))
                .body("lastDecision.reason", equalTo("业务职能调整，共享用途已不存在"));
        // the list shows the same last decision
        given().auth().oauth2(consumer).queryParam("resourceCode", code).get(API + "/grants").then().statusCode(200)
                .body("find { it.id == " + grant + " }.lastDecision.action", equalTo("TERMINATE"));
        given().auth().oauth2(consumer).queryParam("side", "consumer").get(API + "/requests").then().statusCode(200)
                .body("find { it.id == " + id + " }.lastDecision.actor.subject", equalTo("op-" + PROVIDER));
    }

    @Test
    void aRefusalKeepsItsReasonsAndTheLegalBasisItCites() {
        String dept = "11330000MB00000102";
        String consumer = operator(dept);
        long id = RequestWorkflowTest.file(consumer, RequestWorkflowTest.body(FakeCatalog.CONDITIONAL, List.of("XM")))
                .jsonPath().getLong("id");
        post(operator(PROVIDER), "/requests/" + id + "/refuse", Map.of("version", 0,
                "reason", "申请的数据项超出履行法定职责所必需的范围", "legalBasis", "《中华人民共和国个人信息保护法》第三十四条"))
                .then().statusCode(200).body("status", equalTo("REFUSED"))
                .body("lastDecision.action", equalTo("REFUSE"))
                .body("lastDecision.legalBasis", equalTo("《中华人民共和国个人信息保护法》第三十四条"));
        history(consumer, "requests", id).statusCode(200).body("action", equalTo(List.of("FILE", "REFUSE")))
                .body("toStatus", equalTo(List.of("PENDING", "REFUSED")))
                .body("actor.departmentCode", equalTo(List.of(dept, PROVIDER)))
                .body("[1].reason", equalTo("申请的数据项超出履行法定职责所必需的范围"))
                .body("[1].legalBasis", equalTo("《中华人民共和国个人信息保护法》第三十四条"))
                .body("[1].decision", equalTo(true));
    }

    @Test
    void outcomesDecidedByTheRulesAtFilingAreMarkedAutomatic() {
        String dept = "11330000MB00000103";
        String consumer = operator(dept);
        // 不予共享: refused at filing with the catalogue's legal basis
        long refused = RequestWorkflowTest.file(consumer, RequestWorkflowTest.body(FakeCatalog.NOT_SHARED,
                List.of("GMSFHM"))).then().statusCode(201).body("lastDecision.action", equalTo("FILE"))
                .body("lastDecision.automatic", equalTo(true)).extract().jsonPath().getLong("id");
        history(consumer, "requests", refused).statusCode(200).body("action", equalTo(List.of("FILE")))
                .body("[0].fromStatus", nullValue()).body("[0].toStatus", equalTo("NOT_SHARED"))
                .body("[0].automatic", equalTo(true)).body("[0].decision", equalTo(true))
                .body("[0].actor.subject", equalTo("op-" + dept)).body("[0].reason", equalTo("涉及国家秘密"))
                .body("[0].legalBasis", equalTo("中华人民共和国保守国家秘密法 第二条"))
                .body("[0].details.refusalLegalBasis.type", equalTo("LAW"));
        // 无条件共享: granted at once; the grant's history says so
        String code = "330000-01-02/900502";
        DeliveryTest.freshEntry(replica, code, "UNCONDITIONAL");
        Response granted = RequestWorkflowTest.file(consumer, RequestWorkflowTest.body(code, List.of("GMSFHM", "XM")));
        granted.then().statusCode(201).body("status", equalTo("GRANTED"));
        long grant = granted.jsonPath().getLong("grantId");
        history(consumer, "grants", grant).statusCode(200).body("action", equalTo(List.of("CREATE")))
                .body("[0].automatic", equalTo(true)).body("[0].decision", equalTo(true))
                .body("[0].actor.subject", equalTo("op-" + dept)).body("[0].details.basis", equalTo("无条件共享"));

        // the daily expiry is the exchange's own change
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            assertEquals(1, s.executeUpdate("UPDATE share_grant SET valid_to = valid_from WHERE id = " + grant));
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        grantService.expireEnded();
        history(consumer, "grants", grant).statusCode(200).body("action", equalTo(List.of("CREATE", "EXPIRE")))
                .body("[1].fromStatus", equalTo("ACTIVE")).body("[1].toStatus", equalTo("EXPIRED"))
                .body("[1].actor.subject", equalTo("data-exchange-service")).body("[1].actor.role", equalTo("scheduler"))
                .body("[1].automatic", equalTo(true)).body("[1].decision", equalTo(false))
                .body("[1].requestId", nullValue());
    }

    @Test
    void disputesAndObjectionsKeepTheirHistoryAndAReopenedRequestSaysWhoReopenedIt() {
        String dept = "11330000MB00000104";
        String consumer = operator(dept);
        long request = RequestWorkflowTest.file(consumer, RequestWorkflowTest.body(FakeCatalog.CONDITIONAL,
                List.of("GMSFHM"))).jsonPath().getLong("id");
        post(operator(RequestWorkflowTest.PROVIDER), "/requests/" + request + "/refuse",
                Map.of("version", 0, "reason", "用途不符")).then().statusCode(200);
        long dispute = post(consumer, "/disputes", DisputeObjectionTest.refusalDispute(request, "履行法定职责确需该数据"))
                .then().statusCode(201).extract().jsonPath().getLong("id");
        post(reviewer(), "/disputes/" + dispute + "/resolve",
                Map.of("version", 0, "outcome", "SHARE", "resolution", "经协调，应按有条件共享办理")).then().statusCode(200);
        history(consumer, "disputes", dispute).statusCode(200).body("action", equalTo(List.of("OPEN", "RESOLVE")))
                .body("toStatus", equalTo(List.of("OPEN", "RESOLVED_SHARE")))
                .body("actor.role", equalTo(List.of("operator", "reviewer")))
                .body("reason", equalTo(List.of("履行法定职责确需该数据", "经协调，应按有条件共享办理")))
                .body("shareRequestId", equalTo(List.of((int) request, (int) request)));
        history(operator(DemoData.MARKET), "disputes", dispute).statusCode(404);
        history(consumer, "requests", request).statusCode(200)
                .body("action", equalTo(List.of("FILE", "REFUSE", "REOPEN_AFTER_DISPUTE")))
                .body("[2].fromStatus", equalTo("REFUSED")).body("[2].toStatus", equalTo("PENDING"))
                .body("[2].actor.subject", equalTo("reviewer-1")).body("[2].details.disputeId", equalTo((int) dispute));

        String hr = operator(DemoData.HUMAN_RESOURCES); // holds the demo grant on 居民户籍信息
        long objection = post(hr, "/objections", Map.of("resourceCode", FakeCatalog.POPULATION,
                "recordKey", "330282196509230044", "description", "出生日期与身份证件不一致")).then().statusCode(201)
                .extract().jsonPath().getLong("id");
        post(operator(DemoData.POLICE), "/objections/" + objection + "/answer",
                Map.of("version", 0, "outcome", "CONFIRMED_CORRECT", "reason", "已核实，出生日期无误")).then().statusCode(200);
        history(auditor(), "objections", objection).statusCode(200).body("action", equalTo(List.of("FILE", "ANSWER")))
                .body("actor.departmentCode", equalTo(List.of(DemoData.HUMAN_RESOURCES, DemoData.POLICE)))
                .body("reason", equalTo(List.of("出生日期与身份证件不一致", "已核实，出生日期无误")));
    }

    @Test
    void onlyThePartiesTheAuthorityAndAuditorsReadAHistory() {
        String code = "330000-01-02/900503";
        DeliveryTest.freshEntry(replica, code, "UNCONDITIONAL");
        String dept = "11330000MB00000105";
        Response filed = RequestWorkflowTest.file(operator(dept), RequestWorkflowTest.body(code, List.of("XM")));
        long request = filed.jsonPath().getLong("id");
        long grant = filed.jsonPath().getLong("grantId");
        for (String reader : List.of(operator(dept), operator(PROVIDER), reviewer(), admin(), auditor())) {
            history(reader, "requests", request).statusCode(200).body("action", equalTo(List.of("FILE")));
            history(reader, "grants", grant).statusCode(200).body("action", equalTo(List.of("CREATE")));
        }
        // another department's operator: 404, as for the request and the grant themselves
        String stranger = operator(DemoData.MARKET);
        given().auth().oauth2(stranger).get(API + "/requests/" + request).then().statusCode(404);
        history(stranger, "requests", request).statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(stranger).get(API + "/grants/" + grant).then().statusCode(404);
        history(stranger, "grants", grant).statusCode(404).contentType("application/problem+json");
        // roles that are no reader: a citizen, and a department's system client (it may use the grant, not audit it)
        String citizen = TestTokens.citizen("citizen-1", "33010619850312001X", AUD);
        history(citizen, "requests", request).statusCode(403);
        history(citizen, "grants", grant).statusCode(403);
        history(system(dept), "grants", grant).statusCode(403);
        // no token, no such object
        given().get(API + "/grants/" + grant + "/history").then().statusCode(401);
        history(auditor(), "requests", Long.MAX_VALUE).statusCode(404).contentType("application/problem+json");
        history(auditor(), "grants", Long.MAX_VALUE).statusCode(404).contentType("application/problem+json");
    }

    @Test
    void historyRowsAreNeverUpdatedOrDeleted() throws Exception {
        String dept = "11330000MB00000106";
        String consumer = operator(dept);
        long id = RequestWorkflowTest.file(consumer, RequestWorkflowTest.body(FakeCatalog.CONDITIONAL, List.of("XM")))
                .jsonPath().getLong("id");
        List<Map<String, Object>> before = history(consumer, "requests", id).statusCode(200).extract().jsonPath()
                .getList("$");
        Map<String, Object> filed = before.get(0);
        post(operator(PROVIDER), "/requests/" + id + "/supplement", Map.of("version", 0, "reason", "请补充经办范围说明"))
                .then().statusCode(200);
        post(consumer, "/requests/" + id + "/resubmit", Map.of("version", 1, "scope", "本厅社会救助处及各市县民政局",
                "note", "已补充经办范围")).then().statusCode(200);
        // later changes add rows; the first one is exactly as it was written
        List<Map<String, Object>> rows = history(consumer, "requests", id).statusCode(200)
                .body("action", equalTo(List.of("FILE", "ASK_SUPPLEMENT", "RESUBMIT")))
                .body("[2].fromStatus", equalTo("SUPPLEMENT_REQUESTED")).body("[2].toStatus", equalTo("PENDING"))
                .body("[2].reason", equalTo("已补充经办范围"))
                .body("[2].details.changed.scope", equalTo("本厅社会救助处及各市县民政局"))
                .extract().jsonPath().getList("$");
        assertEquals(filed, rows.get(0));

        // the table itself refuses UPDATE, DELETE and TRUNCATE
        long rowId = ((Number) filed.get("id")).longValue();
        for (String sql : List.of("UPDATE state_change SET reason = '改过的理由' WHERE id = " + rowId,
                "UPDATE state_change SET actor_subject = 'someone-else' WHERE id = " + rowId,
                "DELETE FROM state_change WHERE id = " + rowId, "TRUNCATE state_change")) {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                SQLException refused = assertThrows(SQLException.class, () -> s.executeUpdate(sql), sql);
                assertTrue(refused.getMessage().contains("append-only"), refused.getMessage());
            }
        }
        history(consumer, "requests", id).statusCode(200).body("[0].id", equalTo((int) rowId))
                .body("[0].actor.subject", equalTo("op-" + dept)).body("[0].reason", nullValue())
                .body("action", hasSize(3));
    }
}
