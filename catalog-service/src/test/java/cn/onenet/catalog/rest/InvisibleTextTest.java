package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.admin;
import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.auditor;
import static cn.onenet.catalog.support.Fixtures.editor;
import static cn.onenet.catalog.support.Fixtures.entry;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * A required text made only of characters that show nothing — no-break space, zero-width space, byte order mark, Hangul
 * filler — is no reason and no legal basis (R1, R2): 400 problem+json naming the field, nothing stored.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class InvisibleTextTest {

    private static final String E = "/api/catalog/v1/entries";
    private static final String INVISIBLE = "不能只含空白或不可见字符 / must contain visible text";

    private static void refused(ValidatableResponse r, String field) {
        r.statusCode(400).contentType("application/problem+json").body("requestId", notNullValue())
                .body("errors.find { it.field == '" + field + "' }.message", equalTo(INVISIBLE));
    }

    private static Map<String, Object> notShared(String name, String reason, String title, String article) {
        Map<String, Object> m = entry(name);
        ValidationTest.notShared(m, "LAW");
        m.remove("shareMethod");
        m.put("notSharedReason", reason);
        m.put("notSharedLegalBasis", Map.of("type", "LAW", "title", title, "article", article));
        return m;
    }

    private static void noEntry(String name) {
        as(editor()).queryParam("size", 200).get(E).then().statusCode(200)
                .body("findAll { it.name == '" + name + "' }.size()", equalTo(0));
    }

    @Test
    void aNotSharedEntryNeedsAVisibleReasonTitleAndArticle() {
        String name = "不可见-理由";
        refused(as(editor()).body(notShared(name, "\u200b", "中华人民共和国居民身份证法", "第十九条")).post(E).then(),
                "notSharedReason");
        refused(as(editor()).body(notShared(name, "涉及个人隐私", "\u200b", "第十九条")).post(E).then(),
                "notSharedLegalBasis.title");
        refused(as(editor()).body(notShared(name, "涉及个人隐私", "中华人民共和国居民身份证法", "\u00a0\ufeff")).post(E).then(),
                "notSharedLegalBasis.article");
        Map<String, Object> body = new HashMap<>(entry(name));
        body.put("name", "\u3164\u00a0");
        refused(as(editor()).body(body).post(E).then(), "name");
        noEntry(name);
        // visible text with no-break spaces inside is kept as given
        String kept = "不可见-保留";
        as(editor()).body(notShared(kept, "涉及\u00a0个人隐私", "中华人民共和国居民身份证法", "第十九条")).post(E).then()
                .statusCode(201).body("draft.notSharedReason", equalTo("涉及\u00a0个人隐私"));
    }

    @Test
    void aCalendarChangeNeedsAVisibleReasonAndName() {
        String c = "/api/catalog/v1/calendar";
        String day = "2027-05-06";
        refused(as(admin()).body(Map.of("kind", "holiday", "name", "测试假日", "reason", "\u00a0")).put(c + "/" + day)
                .then(), "reason");
        refused(as(admin()).body(Map.of("kind", "holiday", "name", "\u200b", "reason", "国办通知")).put(c + "/" + day)
                .then(), "name");
        as(auditor()).queryParam("year", 2027).get(c).then().body("day", not(hasItem(day)));
    }
}
