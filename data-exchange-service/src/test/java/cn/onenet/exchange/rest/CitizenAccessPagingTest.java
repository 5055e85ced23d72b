package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.service.TimeSource;
import cn.onenet.testsupport.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** 我的数据使用记录, page by page: newest first, counted, covert queries still hidden neither shown nor counted. */
@QuarkusTest
class CitizenAccessPagingTest extends ExchangeTestBase {

    static final String MINE = "/api/exchange/v1/me/data-accesses";

    /** A well-formed 18-digit ID number (GB 11643 check digit) nobody else's test uses. */
    static String idNumber() {
        String body = "330106" + "19" + (70 + ThreadLocalRandom.current().nextInt(30)) + "0315"
                + String.format("%03d", ThreadLocalRandom.current().nextInt(1000));
        int[] weights = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += (body.charAt(i) - '0') * weights[i];
        }
        return body + "10X98765432".charAt(sum % 11);
    }

    static Response page(String token, Object page, Object size) {
        return page(MINE, token, page, size);
    }

    /** One page of one of the caller's own lists, with the page and size given (none when null). */
    static Response page(String list, String token, Object page, Object size) {
        var spec = given().auth().oauth2(token);
        if (page != null) {
            spec = spec.queryParam("page", page);
        }
        if (size != null) {
            spec = spec.queryParam("size", size);
        }
        return spec.get(list);
    }

    @Test
    void pagesNewestFirstWithTheTotalAndCovertQueriesStillHiddenAreNeitherShownNorCounted() {
        String code = "330000-01-02/900741";
        String id = idNumber();
        FakeCatalog.add("PUBLISHED", code, "测试使用记录分页 " + code, ReclassificationTest.PROVIDER,
                "UNCONDITIONAL", "LEVEL_3", "GMSFHM",
                List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", true),
                        Map.of("code", "XM", "name", "姓名", "sensitive", true),
                        Map.of("code", "ZY", "name", "职业", "sensitive", false)));
        replica.pollOnce();
        ReclassificationTest.push(code, id, "陈静").then().statusCode(201);
        // a request declaring covert use, as the covert queries below need, which the provider approves
        Map<String, Object> body = new HashMap<>(RequestWorkflowTest.body(code, List.of("GMSFHM", "XM")));
        body.put("covertUse", Map.of("legalBasis", "《刑事诉讼法》第五十四条"));
        CovertUseGrantTest.approvedGrant(ReclassificationTest.CONSUMER, ReclassificationTest.PROVIDER, body);
        List<String> visible = new ArrayList<>();
        List<String> covert = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            String rid = "page-" + UUID.randomUUID();
            var call = given().urlEncodingEnabled(false).auth().oauth2(operator(ReclassificationTest.CONSUMER))
                    .header("X-Request-Id", rid);
            if (i % 3 == 1) {
                call = call.header("X-Covert-Until", LocalDate.now(TimeSource.ZONE).plusDays(20).toString())
                        .header("X-Covert-Legal-Basis",
                                URLEncoder.encode("《刑事诉讼法》第五十四条", StandardCharsets.UTF_8));
                covert.add(rid);
            } else {
                visible.add(0, rid);
            }
            call.get(DeliveryTest.path(code, id)).then().statusCode(200);
        }
        assertEquals(5, visible.size());
        String citizen = TestTokens.citizen("chen", id, AUD);

        List<String> seen = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            Response r = page(citizen, p, 2);
            r.then().statusCode(200).header(GrantResource.TOTAL_COUNT, "5");
            List<String> ids = r.jsonPath().getList("requestId");
            assertEquals(p < 2 ? 2 : 1, ids.size(), ids.toString());
            seen.addAll(ids);
        }
        // newest first, every visible access once, no covert one
        assertEquals(visible, seen);
        page(citizen, 3, 2).then().statusCode(200).header(GrantResource.TOTAL_COUNT, "5")
                .body("size()", equalTo(0));
        // the default page holds them all
        Response all = page(citizen, null, null);
        all.then().statusCode(200).header(GrantResource.TOTAL_COUNT, "5");
        assertEquals(visible, all.jsonPath().getList("requestId"));

        for (Object[] bad : new Object[][] { { "page", -1, 2 }, { "page", "x", 2 }, { "size", 0, 0 },
                { "size", 0, 201 }, { "size", 0, "ten" } }) {
            page(citizen, bad[1], bad[2]).then().statusCode(400).contentType("application/problem+json")
                    .body("field", equalTo(bad[0])).body("requestId", notNullValue());
        }
    }
}
