package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.FakeExchange.exchangeDown;
import static cn.onenet.catalog.support.FakeExchange.grants;
import static cn.onenet.catalog.support.Fixtures.action;
import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.editor;
import static cn.onenet.catalog.support.Fixtures.entry;
import static cn.onenet.catalog.support.Fixtures.item;
import static cn.onenet.catalog.support.Fixtures.prepare;
import static cn.onenet.catalog.support.Fixtures.published;
import static cn.onenet.catalog.support.Fixtures.reviewer;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

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
 * 条例 Art. 27 ¶3 for changes: a change that narrows what a published entry shares needs the provider's 备案, accepted
 * by the reviewer, while other departments hold active grants; the exchange is asked as for deregistration.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class ChangeFilingTest {

    private static final String E = "/api/catalog/v1/entries/";

    private static String code(long id) {
        return as(editor()).get(E + id).then().extract().path("resourceCode");
    }

    /** Starts a change of a published entry, edits the draft to {@code body} and submits it. */
    private static void changedAndSubmitted(long id, Map<String, Object> body) {
        action(editor(), id, "change", Map.of("cause", "职责调整")).statusCode(200);
        Fixtures.put(editor(), id, body).statusCode(200);
        prepare(editor(), id);
        action(editor(), id, "submit", Map.of()).statusCode(200);
    }

    /** The entry's content without its third data item (户籍地址). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> withoutAddress(String name) {
        Map<String, Object> m = entry(name);
        ((List<Object>) m.get("items")).remove(2);
        return m;
    }

    private static ValidatableResponse refused(ValidatableResponse r, int activeGrants) {
        return r.statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("urn:onenet:problem:conflict"))
                .body("field", equalTo("changeFiling")).body("errors[0].field", equalTo("changeFiling"))
                .body("activeGrants", equalTo(activeGrants));
    }

    @Test
    void removingAnItemWithActiveGrantsNeedsAnAcceptedFiling() {
        long id = published(editor(), entry("变更备案-删项"));
        grants(code(id), 2);
        action(editor(), id, "change", Map.of("cause", "《户口登记条例》修订，停止提供户籍地址")).statusCode(200);
        Fixtures.put(editor(), id, withoutAddress("变更备案-删项")).statusCode(200);
        // a filing covers the draft it was filed for: editing the draft afterwards withdraws it
        action(editor(), id, "change/filing", Map.of("filing", "初稿备案")).statusCode(200)
                .body("changeFiling.filing", equalTo("初稿备案"));
        Map<String, Object> revised = withoutAddress("变更备案-删项");
        revised.put("abstract", "全省户籍人口的登记信息（不含户籍地址）");
        Fixtures.put(editor(), id, revised).statusCode(200).body("changeFiling", nullValue());
        prepare(editor(), id);
        action(editor(), id, "submit", Map.of()).statusCode(200);

        refused(action(reviewer(), id, "approve", Map.of("opinion", "同意")), 2);
        as(editor()).get(E + id).then().body("state", equalTo("SUBMITTED")).body("resourceCode", notNullValue());

        action(editor(), id, "change/filing", Map.of()).statusCode(400).body("errors[0].field", equalTo("filing"));
        action(reviewer(), id, "change/filing", Map.of("filing", "x")).statusCode(403);
        action(reviewer(), id, "change/filing-acceptance", Map.of()).statusCode(409); // nothing filed yet
        action(editor(), id, "change/filing", Map.of("filing", "已与持有授权的2个部门协商，同意停用户籍地址信息项"))
                .statusCode(200).body("changeFiling.filingAccepted", equalTo(false));
        refused(action(reviewer(), id, "approve", Map.of()), 2);
        action(editor(), id, "change/filing-acceptance", Map.of()).statusCode(403);
        action(reviewer(), id, "change/filing-acceptance", Map.of("opinion", "备案已接受")).statusCode(200)
                .body("changeFiling.filingAccepted", equalTo(true));
        action(reviewer(), id, "change/filing-acceptance", Map.of()).statusCode(409); // already accepted
        action(reviewer(), id, "approve", Map.of("opinion", "同意")).statusCode(200).body("state", equalTo("APPROVED"));
        action(reviewer(), id, "publish", Map.of("opinion", "发布")).statusCode(200)
                .body("state", equalTo("PUBLISHED")).body("publishedVersion", equalTo(2))
                .body("published.items.code", equalTo(List.of("GMSFHM", "XM"))).body("changeFiling", nullValue());
        as(reviewer()).get(E + id + "/history").then().statusCode(200)
                .body("action", hasItems("FILE_CHANGE_RECORD", "ACCEPT_CHANGE_FILING", "PUBLISH"));
    }

    @Test
    void grantsThatAppearAfterApprovalStopThePublicationAndAnUnreachableExchangeRefusesIt() {
        long id = published(editor(), entry("变更备案-发布时"));
        changedAndSubmitted(id, withoutAddress("变更备案-发布时"));
        action(reviewer(), id, "approve", Map.of()).statusCode(200); // no grants yet
        exchangeDown(true);
        try {
            action(reviewer(), id, "publish", Map.of()).statusCode(503).contentType("application/problem+json");
        } finally {
            exchangeDown(false);
        }
        as(editor()).get(E + id).then().body("state", equalTo("APPROVED")).body("publishedVersion", equalTo(1))
                .body("published.items.code", hasItem("HJDZ"));
        grants(code(id), 2);
        refused(action(reviewer(), id, "publish", Map.of()), 2);
        as(editor()).get(E + id).then().body("state", equalTo("APPROVED")).body("publishedVersion", equalTo(1));
        action(editor(), id, "change/filing", Map.of("filing", "已与使用部门协商一致")).statusCode(200);
        refused(action(reviewer(), id, "publish", Map.of()), 2);
        action(reviewer(), id, "change/filing-acceptance", Map.of("opinion", "接受")).statusCode(200);
        action(reviewer(), id, "publish", Map.of()).statusCode(200).body("publishedVersion", equalTo(2));
    }

    @Test
    void exchangeUnreachableRefusesApprovalOfANarrowingChangeAndNothingChanges() {
        long id = published(editor(), entry("变更备案-交换不可达"));
        changedAndSubmitted(id, withoutAddress("变更备案-交换不可达"));
        exchangeDown(true);
        try {
            action(reviewer(), id, "approve", Map.of()).statusCode(503).contentType("application/problem+json");
        } finally {
            exchangeDown(false);
        }
        as(editor()).get(E + id).then().body("state", equalTo("SUBMITTED")).body("publishedVersion", equalTo(1));
        as(reviewer()).get(E + id + "/history").then().body("action.last()", equalTo("SUBMIT"));
    }

    @Test
    void theSameChangeWithoutGrantsPublishesAsBefore() {
        long id = published(editor(), entry("变更备案-无授权"));
        changedAndSubmitted(id, withoutAddress("变更备案-无授权"));
        action(reviewer(), id, "approve", Map.of()).statusCode(200);
        action(reviewer(), id, "publish", Map.of()).statusCode(200).body("publishedVersion", equalTo(2))
                .body("versionLabel", equalTo("2.0")).body("changeFiling", nullValue());
    }

    @Test
    @SuppressWarnings("unchecked")
    void wideningOrOtherMetadataPublishesWithoutAFilingDespiteGrants() {
        long id = published(editor(), entry("变更备案-扩大"));
        String code = code(id);
        grants(code, 2);
        Map<String, Object> wider = entry("变更备案-扩大");
        ((List<Object>) wider.get("permittedPurposes")).add("不动产登记");
        ((List<Object>) wider.get("items")).add(item("CSRQ", "出生日期", "D", null, true));
        wider.put("abstract", "全省户籍人口的登记信息（含出生日期）");
        changedAndSubmitted(id, wider);
        // with no narrowing the exchange is not even asked
        exchangeDown(true);
        try {
            action(reviewer(), id, "approve", Map.of()).statusCode(200);
            action(reviewer(), id, "publish", Map.of()).statusCode(200).body("publishedVersion", equalTo(2));
        } finally {
            exchangeDown(false);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void fewerPermittedPurposesAreANarrowing() {
        long id = published(editor(), entry("变更备案-用途"));
        grants(code(id), 1);
        Map<String, Object> fewer = entry("变更备案-用途");
        ((List<Object>) fewer.get("permittedPurposes")).remove("住房公积金提取");
        changedAndSubmitted(id, fewer);
        refused(action(reviewer(), id, "approve", Map.of()), 1).body("narrowed", equalTo(List.of("permittedPurposes")));
    }
}
