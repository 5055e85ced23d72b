package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.action;
import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.editorOf;
import static cn.onenet.catalog.support.Fixtures.entryOf;
import static cn.onenet.catalog.support.Fixtures.reviewer;
import static cn.onenet.catalog.support.Fixtures.reviewerOf;
import static cn.onenet.catalog.support.Fixtures.submitted;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.catalog.support.Fixtures;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * R5: a reviewer reads the unpublished entries of its own region — the ones its work list shows and it reviews — with
 * their history and in the export, and of other regions only what is published, as any other reader.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class ReviewerReadRegionTest {

    private static final String E = "/api/catalog/v1/entries/";
    private static final String X = "/api/catalog/v1/spreadsheets/entries";

    private static String hangzhouReviewer() {
        return reviewerOf("reviewer-hz-reader", Fixtures.HANGZHOU_BUREAU, Fixtures.HANGZHOU);
    }

    private static String hangzhouEditor() {
        return editorOf(Fixtures.HANGZHOU_POLICE);
    }

    private static String export(String token) {
        return new String(as(token).queryParam("format", "csv").queryParam("provider", Fixtures.HANGZHOU_POLICE)
                .get(X).then().statusCode(200).extract().asByteArray(), StandardCharsets.UTF_8);
    }

    @Test
    void anotherRegionsDraftIsHiddenFromAReviewerLikeAnyUnseenDraft() {
        long id = submitted(hangzhouEditor(), entryOf(Fixtures.HANGZHOU_POLICE, "区划读取-杭州草稿"));

        as(hangzhouReviewer()).get(E + id).then().statusCode(200).body("state", equalTo("SUBMITTED"))
                .body("draft.name", equalTo("区划读取-杭州草稿"));
        as(hangzhouReviewer()).get(E + id + "/history").then().statusCode(200).body("action", hasItem("SUBMIT"));
        assertTrue(export(hangzhouReviewer()).contains("区划读取-杭州草稿"));

        as(reviewer()).get(E + id).then().statusCode(404).contentType("application/problem+json");
        as(reviewer()).get(E + id + "/history").then().statusCode(404).contentType("application/problem+json");
        assertFalse(export(reviewer()).contains("区划读取-杭州草稿"));
    }

    @Test
    void anotherRegionsPublishedEntryIsReadAsPublishedWithoutItsHistory() {
        long id = submitted(hangzhouEditor(), entryOf(Fixtures.HANGZHOU_POLICE, "区划读取-杭州已发布"));
        action(hangzhouReviewer(), id, "approve", Map.of("opinion", "同意")).statusCode(200);
        action(hangzhouReviewer(), id, "publish", Map.of("opinion", "发布")).statusCode(200);
        action(hangzhouEditor(), id, "change", Map.of("cause", "职责调整")).statusCode(200);

        as(hangzhouReviewer()).get(E + id).then().statusCode(200).body("state", equalTo("CHANGE_PENDING"))
                .body("draft", notNullValue());
        as(reviewer()).get(E + id).then().statusCode(200).body("state", equalTo("PUBLISHED"))
                .body("name", equalTo("区划读取-杭州已发布")).body("draft", nullValue())
                .body("changeTrigger", nullValue()).body("maintainer", nullValue());
        as(reviewer()).get(E + id + "/history").then().statusCode(403).contentType("application/problem+json");
        as(reviewer()).get(E + "?provider=" + Fixtures.HANGZHOU_POLICE + "&size=200").then().statusCode(200)
                .body("id", not(hasItem((int) id)));
    }
}
