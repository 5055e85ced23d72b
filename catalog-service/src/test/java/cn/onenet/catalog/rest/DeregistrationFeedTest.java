package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.FakeExchange.exchangeDown;
import static cn.onenet.catalog.support.FakeExchange.grants;
import static cn.onenet.catalog.support.Fixtures.action;
import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.editor;
import static cn.onenet.catalog.support.Fixtures.entry;
import static cn.onenet.catalog.support.Fixtures.operator;
import static cn.onenet.catalog.support.Fixtures.published;
import static cn.onenet.catalog.support.Fixtures.reviewer;
import static cn.onenet.catalog.support.Fixtures.system;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.catalog.support.Fixtures;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class DeregistrationFeedTest {

    private static final String E = "/api/catalog/v1/entries/";
    private static final String FEED = "/api/catalog/v1/feed";

    @Test
    void deregistrationIsBlockedByActiveGrantsUntilTheFilingIsAccepted() {
        long id = published(editor(), entry("注销-有授权"));
        String code = as(editor()).get(E + id).then().extract().path("resourceCode");
        grants(code, 2);
        action(reviewer(), id, "deregistration", Map.of("reason", "x")).statusCode(403);
        action(editor(), id, "deregistration", Map.of()).statusCode(400);
        action(editor(), id, "deregistration", Map.of("reason", "系统整合，数据并入人口综合库")).statusCode(200)
                .body("state", equalTo("DEREGISTER_PENDING"));
        action(editor(), id, "deregistration/approval", Map.of()).statusCode(403);
        action(reviewer(), id, "deregistration/approval", Map.of("opinion", "同意")).statusCode(409)
                .body("activeGrants", equalTo(2));
        as(operator()).get(E + id).then().statusCode(200).body("live", equalTo(true));
        // the reviewer cannot accept a filing that was not made
        action(reviewer(), id, "deregistration/filing-acceptance", Map.of()).statusCode(409);
        action(reviewer(), id, "deregistration/filing", Map.of("filing", "x")).statusCode(403);
        action(editor(), id, "deregistration/filing", Map.of("filing", "已与2个使用部门协商一致，改用人口综合库")).statusCode(200);
        action(reviewer(), id, "deregistration/approval", Map.of()).statusCode(409);
        action(editor(), id, "deregistration/filing-acceptance", Map.of()).statusCode(403);
        action(reviewer(), id, "deregistration/filing-acceptance", Map.of("opinion", "备案已接受")).statusCode(200);
        action(reviewer(), id, "deregistration/approval", Map.of("opinion", "同意注销")).statusCode(200)
                .body("state", equalTo("DEREGISTERED"));
        as(operator()).get(E + id).then().statusCode(404);
        action(reviewer(), id, "deregistration/approval", Map.of()).statusCode(409);
    }

    @Test
    void deregistrationWithoutGrantsAndFailClosedWhenTheExchangeIsDown() {
        long id = published(editor(), entry("注销-无授权"));
        action(editor(), id, "deregistration", Map.of("reason", "停止采集")).statusCode(200);
        exchangeDown(true);
        try {
            action(reviewer(), id, "deregistration/approval", Map.of()).statusCode(503);
            as(reviewer()).get(E + id).then().body("state", equalTo("DEREGISTER_PENDING"));
        } finally {
            exchangeDown(false);
        }
        action(reviewer(), id, "deregistration/rejection", Map.of()).statusCode(400);
        action(reviewer(), id, "deregistration/rejection", Map.of("opinion", "仍有业务需要")).statusCode(200)
                .body("state", equalTo("PUBLISHED"));
        action(editor(), id, "deregistration", Map.of("reason", "停止采集")).statusCode(200);
        action(reviewer(), id, "deregistration/approval", Map.of()).statusCode(200).body("state", equalTo("DEREGISTERED"));
    }

    @Test
    void feedIsForSystemAndAdminAndFollowsTheContract() {
        given().get(FEED).then().statusCode(401);
        as(operator()).get(FEED).then().statusCode(403);
        as(editor()).get(FEED).then().statusCode(403);
        as(system()).queryParam("limit", 0).get(FEED).then().statusCode(400);
        as(system()).queryParam("limit", 1001).get(FEED).then().statusCode(400);
        long start = as(system()).queryParam("after", 0).queryParam("limit", 1000).get(FEED).then().statusCode(200)
                .extract().jsonPath().getLong("next");
        long id = published(editor(), entry("订阅-契约"));
        String code = as(editor()).get(E + id).then().extract().path("resourceCode");
        JsonPath page = as(system()).queryParam("after", start).get(FEED).then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> items = page.getList("items");
        Map<String, Object> mine = items.stream()
                .filter(i -> code.equals(((Map<?, ?>) i.get("entry")).get("resourceCode"))).findFirst().orElseThrow();
        assertEquals("PUBLISHED", mine.get("type"));
        Map<?, ?> entry = (Map<?, ?>) mine.get("entry");
        assertEquals(1, entry.get("version"));
        assertEquals("订阅-契约", entry.get("name"));
        assertEquals(Fixtures.POLICE, entry.get("providerDepartmentCode"));
        assertEquals("浙江省公安厅", entry.get("providerDepartmentName"));
        assertEquals("330000", entry.get("regionCode"));
        assertEquals("CONDITIONAL", entry.get("shareAttribute"));
        assertEquals(List.of("社会保障待遇资格认证", "住房公积金提取"), entry.get("permittedPurposes"));
        assertEquals("NOT_OPEN", entry.get("openAttribute"));
        assertEquals("DAILY", entry.get("updateCycle"));
        assertEquals("LEVEL_3", entry.get("grade"));
        assertEquals("GMSFHM", entry.get("keyItem"));
        assertEquals("公民身份号码", ((Map<?, ?>) ((List<?>) entry.get("items")).get(0)).get("name"));
        assertTrue(mine.get("occurredAt") != null);
        // nothing new: next equals after
        long next = page.getLong("next");
        as(system()).queryParam("after", next).get(FEED).then().statusCode(200).body("items.size()", equalTo(0))
                .body("next", equalTo((int) next));
    }

    /**
     * A consumer that stores its cursor only after processing, is "restarted" halfway (it forgets everything but the
     * stored cursor) while publications run concurrently, and still sees every event exactly once, in order.
     */
    @Test
    void consumerResumesAfterRestartWithoutSkipsOrReordering() throws Exception {
        long start = as(system()).queryParam("after", 0).queryParam("limit", 1000).get(FEED).then().extract()
                .jsonPath().getLong("next");
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Future<Long>> publications = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            int n = i;
            publications.add(pool.submit(() -> published(editor(), entry("订阅-并发-" + n))));
        }
        List<Long> seen = new ArrayList<>();
        long stored = start;
        int polls = 0;
        while (polls++ < 400) {
            // Asked before reading the page: a publication finishing between the read and this check would
            // otherwise end the loop before its event was read.
            boolean allPublished = publications.stream().allMatch(Future::isDone);
            JsonPath page = as(system()).queryParam("after", stored).queryParam("limit", 2).get(FEED).then()
                    .statusCode(200).extract().jsonPath();
            for (Object c : page.getList("items.cursor")) {
                seen.add(((Number) c).longValue());
            }
            stored = page.getLong("next"); // persisted cursor; a restart resumes from here
            if (polls == 3) {
                Thread.sleep(50); // the consumer is down for a moment
            }
            if (allPublished && page.getList("items").isEmpty()) {
                break;
            }
            Thread.sleep(20);
        }
        for (Future<Long> f : publications) {
            f.get();
        }
        pool.shutdown();
        List<Long> all = new ArrayList<>();
        for (Object c : as(system()).queryParam("after", start).queryParam("limit", 1000).get(FEED).then()
                .extract().jsonPath().getList("items.cursor")) {
            all.add(((Number) c).longValue());
        }
        assertTrue(all.size() >= 9, "all publications are in the feed");
        assertEquals(all, seen, "the consumer saw every event once, in cursor order");
    }
}
