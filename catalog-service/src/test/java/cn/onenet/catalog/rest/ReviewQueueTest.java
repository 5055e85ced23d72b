package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.action;
import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.editor;
import static cn.onenet.catalog.support.Fixtures.entry;
import static cn.onenet.catalog.support.Fixtures.prepare;
import static cn.onenet.catalog.support.Fixtures.published;
import static cn.onenet.catalog.support.Fixtures.reviewer;
import static cn.onenet.catalog.support.Fixtures.reviewerOf;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import io.restassured.response.Response;

/**
 * What waits for the 主管部门 besides submissions: deregistration requests (2-WD review) and the 备案 of changes that
 * narrow what is shared (备案待接收), each a filter of the work list, counted in X-Total-Count, region by region.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class ReviewQueueTest {

    private static final String E = "/api/catalog/v1/entries";

    private static String hangzhouReviewer() {
        return reviewerOf("reviewer-hz", Fixtures.HANGZHOU_BUREAU, Fixtures.HANGZHOU);
    }

    private static Response list(String token, String filter) {
        return as(token).get(E + "?size=200&" + filter).then().statusCode(200).extract().response();
    }

    private static List<Long> ids(String token, String filter) {
        return list(token, filter).jsonPath().getList("id", Long.class);
    }

    @Test
    void deregistrationRequestsAwaitTheRegionsReviewer() {
        long id = published(editor(), entry("待审注销-列表"));
        long before = Long.parseLong(list(reviewer(), "state=DEREGISTER_PENDING").header("X-Total-Count"));
        action(editor(), id, "deregistration", Map.of("reason", "系统整合")).statusCode(200);

        Response pending = list(reviewer(), "state=DEREGISTER_PENDING");
        assertTrue(pending.jsonPath().getList("id", Long.class).contains(id), pending.asString());
        assertEquals(before + 1, Long.parseLong(pending.header("X-Total-Count")));
        assertFalse(ids(hangzhouReviewer(), "state=DEREGISTER_PENDING").contains(id), "another region's reviewer");

        action(reviewer(), id, "deregistration/rejection", Map.of("opinion", "仍在使用")).statusCode(200);
        assertFalse(ids(reviewer(), "state=DEREGISTER_PENDING").contains(id));
    }

    @Test
    void changesWhoseFilingAwaitsAcceptanceAreAFilterOfTheWorkList() {
        long id = published(editor(), entry("待接收备案-列表"));
        long other = published(editor(), entry("待接收备案-无备案"));
        action(editor(), id, "change", Map.of("cause", "职责调整")).statusCode(200);
        action(editor(), other, "change", Map.of("cause", "职责调整")).statusCode(200);
        assertFalse(ids(reviewer(), "changeFiling=AWAITING_ACCEPTANCE").contains(id), "nothing filed yet");

        action(editor(), id, "change/filing", Map.of("filing", "已征求持有授权部门意见")).statusCode(200);
        Response awaiting = list(reviewer(), "changeFiling=AWAITING_ACCEPTANCE");
        List<Long> found = awaiting.jsonPath().getList("id", Long.class);
        assertTrue(found.contains(id) && !found.contains(other), awaiting.asString());
        assertEquals(found.size(), Long.parseLong(awaiting.header("X-Total-Count")));
        assertFalse(ids(reviewer(), "changeFiling=ACCEPTED").contains(id));
        assertFalse(ids(hangzhouReviewer(), "changeFiling=AWAITING_ACCEPTANCE").contains(id));
        // with the state filter too, and for the auditor of every region
        assertTrue(ids(reviewer(), "state=CHANGE_PENDING&changeFiling=AWAITING_ACCEPTANCE").contains(id));
        assertFalse(ids(reviewer(), "state=SUBMITTED&changeFiling=AWAITING_ACCEPTANCE").contains(id));
        assertTrue(ids(Fixtures.auditor(), "changeFiling=AWAITING_ACCEPTANCE").contains(id));

        action(reviewer(), id, "change/filing-acceptance", Map.of("opinion", "同意备案")).statusCode(200);
        assertFalse(ids(reviewer(), "changeFiling=AWAITING_ACCEPTANCE").contains(id));
        assertTrue(ids(reviewer(), "changeFiling=ACCEPTED").contains(id));

        // published: the filing is spent
        prepare(editor(), id);
        action(editor(), id, "submit", Map.of()).statusCode(200);
        action(reviewer(), id, "approve", Map.of("opinion", "同意")).statusCode(200);
        action(reviewer(), id, "publish", Map.of("opinion", "发布")).statusCode(200);
        assertFalse(ids(reviewer(), "changeFiling=ACCEPTED").contains(id));

        as(reviewer()).get(E + "?changeFiling=MAYBE").then().statusCode(org.hamcrest.Matchers.both(
                org.hamcrest.Matchers.greaterThanOrEqualTo(400)).and(org.hamcrest.Matchers.lessThan(500)));
    }

    @Test
    void theOpenApiDocumentNamesTheFilters() {
        given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body("paths.'/api/catalog/v1/entries'.get.parameters.name", hasItems("state", "changeFiling"))
                .body("paths.'/api/catalog/v1/entries'.get.parameters.find { it.name == 'state' }.schema.$ref",
                        equalTo("#/components/schemas/EntryState"))
                .body("components.schemas.EntryState.enum", hasItem("DEREGISTER_PENDING"))
                .body("paths.'/api/catalog/v1/entries'.get.parameters.find { it.name == 'changeFiling' }.schema.$ref",
                        equalTo("#/components/schemas/FilingStatus"))
                .body("components.schemas.FilingStatus.enum", hasItems("AWAITING_ACCEPTANCE", "ACCEPTED"));
    }
}
