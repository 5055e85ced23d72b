package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.action;
import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.create;
import static cn.onenet.catalog.support.Fixtures.editor;
import static cn.onenet.catalog.support.Fixtures.entry;
import static cn.onenet.catalog.support.Fixtures.published;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.catalog.support.Fixtures;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * R5 (条例 Art. 16): the region of an entry decides which 主管部门 reviews it, so the editor does not pick it. A new
 * entry is in the region of the editor's department (the token's {@code region}) and keeps it on every edit.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class EntryRegionTest {

    private static final String E = "/api/catalog/v1/entries/";

    @Test
    void aNewEntryIsInTheEditorsOwnRegion() {
        // 公安厅 (province) cannot send its entry to Hangzhou's 主管部门 for review
        Map<String, Object> body = entry("区划-他地区审核");
        body.put("regionCode", Fixtures.HANGZHOU);
        int before = count();
        as(editor()).body(body).post(E).then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("regionCode"));
        // nor may an editor whose token names no region create anything
        as(Fixtures.editor("editor-no-region", Fixtures.POLICE, null)).body(entry("区划-无区划令牌")).post(E).then()
                .statusCode(403);
        assertEquals(before, count(), "nothing was created");

        // in its own region it is created; 杭州市公安局's editor creates in 330100
        as(editor()).body(entry("区划-本级")).post(E).then().statusCode(201).body("draft.regionCode",
                equalTo(Fixtures.PROVINCE));
        as(Fixtures.editorOf(Fixtures.HANGZHOU_POLICE)).body(Fixtures.entryOf(Fixtures.HANGZHOU_POLICE, "区划-杭州"))
                .post(E).then().statusCode(201).body("draft.regionCode", equalTo(Fixtures.HANGZHOU));
    }

    @Test
    void theRegionCannotChangeOnAnEditNorDuringAChange() {
        Map<String, Object> body = entry("区划-草稿改区划");
        long id = create(editor(), body);
        body.put("regionCode", Fixtures.HANGZHOU);
        Fixtures.put(editor(), id, body).statusCode(400).body("errors[0].field", equalTo("regionCode"));
        as(editor()).get(E + id).then().body("draft.regionCode", equalTo(Fixtures.PROVINCE));

        long live = published(editor(), entry("区划-变更改区划"));
        action(editor(), live, "change", Map.of("cause", "职责调整")).statusCode(200);
        Map<String, Object> changed = entry("区划-变更改区划");
        changed.put("regionCode", Fixtures.HANGZHOU);
        Fixtures.put(editor(), live, changed).statusCode(400).body("errors[0].field", equalTo("regionCode"));
        as(editor()).get(E + live).then().body("draft.regionCode", equalTo(Fixtures.PROVINCE));
    }

    private static int count() {
        return Integer.parseInt(as(Fixtures.auditor()).queryParam("size", 1).get(E).then().statusCode(200).extract()
                .header("X-Total-Count"));
    }
}
