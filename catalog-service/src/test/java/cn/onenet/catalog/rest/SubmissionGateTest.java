package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.action;
import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.create;
import static cn.onenet.catalog.support.Fixtures.editor;
import static cn.onenet.catalog.support.Fixtures.entry;
import static cn.onenet.catalog.support.Fixtures.item;
import static cn.onenet.catalog.support.Fixtures.prepare;
import static cn.onenet.catalog.support.Fixtures.published;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * R4 (条例 Art. 13 ¶1): the assessments and the department head's approval cover the draft as it was when they were
 * made. An edit that changes the content withdraws them, so what is submitted is what the head approved; an edit that
 * changes nothing keeps them.
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
        as(editor()).body(body).put(E + id).then().statusCode(200)
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
        as(editor()).body(changed).put(E + id).then().statusCode(200).body("headApproval", nullValue());
        action(editor(), id, "submit", Map.of()).statusCode(409).body("errors.field", hasItem("headApproval"));
    }

    @Test
    void anEditThatChangesNothingKeepsTheApproval() {
        Map<String, Object> body = entry("负责人审核-未改动");
        long id = create(editor(), body);
        prepare(editor(), id);
        as(editor()).body(body).put(E + id).then().statusCode(200)
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
        as(editor()).body(saved).put(E + id).then().statusCode(200)
                .body("headApproval", notNullValue())
                .body("draft.secret", equalTo(false));
        action(editor(), id, "submit", Map.of()).statusCode(200).body("state", equalTo("SUBMITTED"));
    }
}
