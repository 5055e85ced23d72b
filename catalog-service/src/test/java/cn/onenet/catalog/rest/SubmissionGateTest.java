package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.action;
import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.create;
import static cn.onenet.catalog.support.Fixtures.editor;
import static cn.onenet.catalog.support.Fixtures.entry;
import static cn.onenet.catalog.support.Fixtures.head;
import static cn.onenet.catalog.support.Fixtures.headApproval;
import static cn.onenet.catalog.support.Fixtures.item;
import static cn.onenet.catalog.support.Fixtures.prepare;
import static cn.onenet.catalog.support.Fixtures.published;
import static cn.onenet.catalog.support.Fixtures.reviewer;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.catalog.support.Fixtures;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * R4 (条例 Art. 13 ¶1): the assessments and the department head's approval cover the draft as it was when they were
 * made. An edit that changes the content withdraws them, so what is submitted is what the head approved; an edit that
 * changes nothing keeps them. The head approves on the strength of the assessments on record, so an assessment
 * recorded after the approval (a new or a replaced one) withdraws the approval, and only the approval.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class SubmissionGateTest {

    private static final String E = "/api/catalog/v1/entries/";

    @Test
    void anEditAfterTheHeadsApprovalWithdrawsItAndTheSubmissionIsRefused() {
        Map<String, Object> body = entry("负责人审核-修改后报送");
        long id = create(editor(), body);
        prepare(editor(), id);
        // after the approval, the share attribute is relaxed
        body.put("shareAttribute", "UNCONDITIONAL");
        body.remove("shareConditions");
        body.remove("shareScope");
        body.remove("permittedPurposes");
        Fixtures.put(editor(), id, body).statusCode(200)
                .body("headApproval", nullValue())
                .body("secrecyAssessment", nullValue())
                .body("personalInformationAssessment", nullValue());
        action(editor(), id, "submit", Map.of()).statusCode(409).contentType("application/problem+json")
                .body("errors.field", hasItems("headApproval", "secrecyAssessment", "personalInformationAssessment"));
        as(editor()).get(E + id + "/history").then().statusCode(200)
                .body("find { it.action == 'WITHDRAW_APPROVAL' }.changes", notNullValue())
                .body("find { it.action == 'WITHDRAW_APPROVAL' }.opinion", notNullValue());
        String withdrawn = String.valueOf(as(editor()).get(E + id + "/history").then().extract()
                .<Object>path("find { it.action == 'WITHDRAW_APPROVAL' }.changes"));
        org.junit.jupiter.api.Assertions.assertTrue(withdrawn.contains("headApproval")
                && withdrawn.contains("secrecyAssessment") && withdrawn.contains("personalInformationAssessment"),
                withdrawn);

        // assessed and approved again for the new content, it goes
        prepare(editor(), id);
        action(editor(), id, "submit", Map.of()).statusCode(200).body("state", equalTo("SUBMITTED"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aSensitiveItemAddedAfterTheApprovalOfAChangeWithdrawsItToo() {
        long id = published(editor(), entry("负责人审核-变更中增项"));
        action(editor(), id, "change", Map.of("cause", "职责调整")).statusCode(200);
        Map<String, Object> changed = entry("负责人审核-变更中增项");
        prepare(editor(), id);
        ((List<Object>) changed.get("items")).add(item("LXDH", "联系电话", "C", 20, true));
        Fixtures.put(editor(), id, changed).statusCode(200).body("headApproval", nullValue());
        action(editor(), id, "submit", Map.of()).statusCode(409).body("errors.field", hasItem("headApproval"));
    }

    @Test
    void anEditThatChangesNothingKeepsTheApproval() {
        Map<String, Object> body = entry("负责人审核-未改动");
        long id = create(editor(), body);
        prepare(editor(), id);
        Fixtures.put(editor(), id, body).statusCode(200)
                .body("headApproval", notNullValue())
                .body("secrecyAssessment", notNullValue())
                .body("personalInformationAssessment", notNullValue());
        as(editor()).get(E + id + "/history").then().statusCode(200)
                .body("action", hasItem("EDIT")).body("action", not(hasItem("WITHDRAW_APPROVAL")));
        action(editor(), id, "submit", Map.of()).statusCode(200).body("state", equalTo("SUBMITTED"));
    }

    @Test
    void savingTheNotSecretFlagAnEntryWasCreatedWithoutChangesNothing() {
        Map<String, Object> body = entry("负责人审核-涉密标志");
        long id = create(editor(), body);
        prepare(editor(), id);
        // The console sends secret: false for an entry created through the API without the flag.
        Map<String, Object> saved = new java.util.HashMap<>(body);
        saved.put("secret", false);
        Fixtures.put(editor(), id, saved).statusCode(200)
                .body("headApproval", notNullValue())
                .body("draft.secret", equalTo(false));
        action(editor(), id, "submit", Map.of()).statusCode(200).body("state", equalTo("SUBMITTED"));
    }

    @Test
    void anAssessmentRecordedAfterTheHeadsApprovalWithdrawsItAndTheSubmissionIsRefused() {
        long id = create(editor(), entry("负责人审核-审核后重新评估"));
        prepare(editor(), id);
        // after the approval, the secrecy assessment is carried out again and the new report recorded
        assess(id, "secrecy", "BM-2026-777", "不涉及国家秘密，涉及工作秘密的字段已脱敏").statusCode(200)
                .body("headApproval", nullValue())
                .body("secrecyAssessment.reference", equalTo("BM-2026-777"))
                .body("personalInformationAssessment", notNullValue());
        as(editor()).get(E + id).then().statusCode(200)
                .body("headApproval", nullValue())
                .body("secrecyAssessment.reference", equalTo("BM-2026-777"));
        List<Map<String, Object>> history = as(editor()).get(E + id + "/history").then().statusCode(200)
                .extract().jsonPath().getList("$");
        assertEquals(List.of("CREATE", "ASSESSMENT_SECRECY", "ASSESSMENT_PERSONAL_INFORMATION", "HEAD_APPROVAL",
                "ASSESSMENT_SECRECY", "WITHDRAW_APPROVAL"), history.stream().map(h -> h.get("action")).toList());
        Map<String, Object> withdrawal = history.get(5);
        String reason = String.valueOf(withdrawal.get("opinion"));
        assertTrue(reason.contains("head's approval"), reason);
        String changes = String.valueOf(withdrawal.get("changes"));
        assertTrue(changes.contains("headApproval") && changes.contains("secrecyAssessment")
                && !changes.contains("personalInformationAssessment"), changes);

        action(editor(), id, "submit", Map.of()).statusCode(409).contentType("application/problem+json")
                .body("detail", equalTo(reason))
                .body("errors.field", equalTo(List.of("headApproval")))
                .body("errors[0].message", startsWith("部门负责人审核已撤回"))
                .body("headApprovalWithdrawn.reason", equalTo(reason))
                .body("headApprovalWithdrawn.at", notNullValue());

        // the head approves again, on the new assessment, and the entry goes
        headApproval(head(), id).statusCode(200).body("headApproval", notNullValue());
        action(editor(), id, "submit", Map.of()).statusCode(200).body("state", equalTo("SUBMITTED"));
    }

    @Test
    void aReplacedImpactAssessmentDuringAChangeWithdrawsTheApprovalToo() {
        long id = published(editor(), entry("负责人审核-变更中重新评估"));
        action(editor(), id, "change", Map.of("cause", "职责调整")).statusCode(200);
        prepare(editor(), id);
        assess(id, "personal-information", "PIA-2026-778", "新增用途后风险可控").statusCode(200)
                .body("headApproval", nullValue())
                .body("secrecyAssessment", notNullValue());
        as(editor()).get(E + id + "/history").then().statusCode(200)
                .body("action[-1]", equalTo("WITHDRAW_APPROVAL"))
                .body("changes[-1]", containsString("personalInformationAssessment"));
        action(editor(), id, "submit", Map.of()).statusCode(409).body("errors.field", equalTo(List.of("headApproval")));
    }

    @Test
    void anAssessmentRecordedWhileNoApprovalIsOnRecordWithdrawsNothing() {
        long id = create(editor(), entry("负责人审核-审核前评估"));
        // recorded, replaced before the head has seen it, then the other one
        assess(id, "secrecy", "BM-2026-780", "不涉及国家秘密和工作秘密").statusCode(200);
        assess(id, "secrecy", "BM-2026-781", "不涉及国家秘密和工作秘密").statusCode(200)
                .body("secrecyAssessment.reference", equalTo("BM-2026-781"));
        assess(id, "personal-information", "PIA-2026-781", "风险可控").statusCode(200);
        as(editor()).get(E + id + "/history").then().statusCode(200)
                .body("action", not(hasItem("WITHDRAW_APPROVAL")));
        action(editor(), id, "submit", Map.of()).statusCode(409)
                .body("detail", startsWith("报送前须完成"))
                .body("errors[0].message", startsWith("缺少部门负责人审核"))
                .body("headApprovalWithdrawn", nullValue());
        headApproval(head(), id).statusCode(200);
        action(editor(), id, "submit", Map.of()).statusCode(200);

        // a return takes the approval back itself: a new assessment of the returned draft withdraws nothing more
        action(reviewer(), id, "return", Map.of("opinion", "请补充保密评估说明")).statusCode(200);
        assess(id, "secrecy", "BM-2026-782", "不涉及国家秘密和工作秘密（补充说明）").statusCode(200);
        as(editor()).get(E + id + "/history").then().statusCode(200)
                .body("action[-1]", equalTo("ASSESSMENT_SECRECY"))
                .body("action", not(hasItem("WITHDRAW_APPROVAL")));
    }

    @Test
    void theAssessmentOnRecordSentAgainKeepsTheApproval() {
        long id = create(editor(), entry("负责人审核-重复提交评估"));
        prepare(editor(), id);
        // the request prepare made, retried
        as(editor()).body(Map.of("reference", "BM-2026-001", "conclusion", "不涉及国家秘密和工作秘密",
                "assessedOn", Fixtures.registrationDay(id))).post(E + id + "/assessments/secrecy").then().statusCode(200)
                .body("headApproval", notNullValue());
        as(editor()).get(E + id + "/history").then().statusCode(200)
                .body("action", not(hasItem("WITHDRAW_APPROVAL")))
                .body("action[-1]", equalTo("HEAD_APPROVAL"));
        action(editor(), id, "submit", Map.of()).statusCode(200).body("state", equalTo("SUBMITTED"));
    }

    private static ValidatableResponse assess(long id, String kind, String reference,
            String conclusion) {
        return as(editor()).body(Map.of("reference", reference, "conclusion", conclusion, "assessedOn",
                Fixtures.registrationDay(id))).post(E + id + "/assessments/" + kind).then();
    }
}
