package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import cn.onenet.common.identifiers.ResidentIdNumber;
import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.service.TimeSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * A lookup by a citizen's own number processes that number whatever it finds: one that found nothing (NOT_FOUND, a
 * query EMPTY) or was refused as out of region (OUT_OF_REGION) is in the citizen's view as such, covert ones only once
 * their date has passed; an out-of-region record's other people are not told of a lookup that was not about them.
 */
@QuarkusTest
class CitizenSeesLookupsThatFoundNothingTest extends ExchangeTestBase {

    static final String MINE = "/api/exchange/v1/me/data-accesses";
    static final String HR = ComplaintTest.HR;
    /** A provincial entry of this test's own, keyed by the ID number (which carries the region). */
    static final String PROVINCIAL = "330000-01-02/900791";

    @Inject
    TimeSource time;

    @AfterEach
    void realClock() {
        time.set(null);
    }

    /** A valid ID number of someone born in the given county, nobody else's in the tests. */
    static String idIn(String region) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String first17 = region + String.format("%04d%02d%02d%03d", 1950 + r.nextInt(50), 1 + r.nextInt(12),
                1 + r.nextInt(28), r.nextInt(1000));
        return first17 + ResidentIdNumber.checkCharacter(first17);
    }

    static Response mine(String id) {
        return given().auth().oauth2(ComplaintTest.citizen("c-" + id, id)).get(MINE);
    }

    @Test
    void aLookupOrQueryByTheCitizensNumberThatFoundNothingIsShownAsSuch() {
        String id = idIn("330106");
        String other = idIn("330106");
        String rid = "none-" + UUID.randomUUID();
        UsageLogTest.lookup(FakeCatalog.POPULATION, id, rid).then().statusCode(404);
        Response seen = mine(id);
        seen.then().statusCode(200).body("requestId", hasItem(rid))
                .body("find { it.requestId == '" + rid + "' }.outcome", equalTo("NOT_FOUND"))
                .body("find { it.requestId == '" + rid + "' }.consumerDepartmentCode", equalTo(HR))
                .body("find { it.requestId == '" + rid + "' }.purpose", equalTo("社会保障待遇资格认证"));
        assertEquals("1", seen.header("X-Total-Count"));
        mine(other).then().statusCode(200).body("requestId", not(hasItem(rid)));

        // a query asking for the number that matched nothing
        String query = "empty-" + UUID.randomUUID();
        given().urlEncodingEnabled(false).auth().oauth2(operator(HR)).header("X-Request-Id", query)
                .get("/api/exchange/v1/data/" + FakeCatalog.encoded(FakeCatalog.POPULATION) + "/records?GMSFHM=" + id)
                .then().statusCode(200).body("records", equalTo(List.of()));
        mine(id).then().statusCode(200).body("find { it.requestId == '" + query + "' }.outcome", equalTo("EMPTY"));
        mine(other).then().statusCode(200).body("requestId", not(hasItem(query)));

        // the citizen may complain about it like about any other access
        ComplaintTest.fileComplaint(ComplaintTest.citizen("c-" + id, id), Map.of("requestId", rid,
                "description", "本人与该部门无业务往来，为何查询本人身份证号")).then().statusCode(201);
    }

    @Test
    void aCovertLookupThatFoundNothingStaysHiddenUntilItsDate() {
        String id = idIn("330106");
        String rid = "none-covert-" + UUID.randomUUID();
        long grant = CovertUseGrantTest.covertGrant(UsageLogTest.INVESTIGATOR);
        LocalDate until = LocalDate.now(TimeSource.ZONE).plusDays(30);
        given().urlEncodingEnabled(false).auth().oauth2(operator(UsageLogTest.INVESTIGATOR)).header("X-Grant-Id", grant)
                .header("X-Request-Id", rid).header("X-Covert-Until", until.toString())
                .header("X-Covert-Legal-Basis", URLEncoder.encode("《刑事诉讼法》第五十四条", StandardCharsets.UTF_8))
                .get(DeliveryTest.path(FakeCatalog.POPULATION, id)).then().statusCode(404);
        mine(id).then().statusCode(200).body("requestId", not(hasItem(rid)));
        assertEquals("0", mine(id).header("X-Total-Count"));
        time.set(java.time.Clock.fixed(until.atStartOfDay(TimeSource.ZONE).plusHours(9).toInstant(), TimeSource.ZONE));
        mine(id).then().statusCode(200).body("find { it.requestId == '" + rid + "' }.outcome", equalTo("NOT_FOUND"));
    }

    @Test
    void aLookupRefusedAsOutOfRegionIsShownToWhomItWasKeyedOnOnly() {
        FakeCatalog.add("PUBLISHED", PROVINCIAL, "全省测试人员信息（本人查询记录）", ReturnFlowTest.PROVIDER, "CONDITIONAL",
                "LEVEL_3", "GMSFHM", List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", true),
                        Map.of("code", "XM", "name", "姓名", "sensitive", true),
                        Map.of("code", "POZJHM", "name", "配偶证件号码", "sensitive", true)));
        replica.pollOnce();
        String inXihu = idIn("330106");
        String inYuhang = idIn("330110");
        String spouse = idIn("330106");
        given().urlEncodingEnabled(false).auth().oauth2(operator(ReturnFlowTest.PROVIDER)).contentType(ContentType.JSON)
                .body(List.of(Map.of("GMSFHM", inXihu, "XM", "张伟", "POZJHM", spouse),
                        Map.of("GMSFHM", inYuhang, "XM", "刘洋", "POZJHM", spouse)))
                .post("/api/exchange/v1/datasets/" + FakeCatalog.encoded(PROVINCIAL) + "/records").then()
                .statusCode(201);
        String county = ReturnFlowTest.operatorIn(ReturnFlowTest.XIHU, "330106");
        RequestWorkflowTest.file(county, RequestWorkflowTest.body(PROVINCIAL, List.of("GMSFHM", "XM", "POZJHM")))
                .then().statusCode(201).body("status", equalTo("GRANTED"));

        String outside = "oor-" + UUID.randomUUID();
        given().urlEncodingEnabled(false).auth().oauth2(county).header("X-Request-Id", outside)
                .get(DeliveryTest.path(PROVINCIAL, inYuhang)).then().statusCode(404);
        String inside = "in-" + UUID.randomUUID();
        given().urlEncodingEnabled(false).auth().oauth2(county).header("X-Request-Id", inside)
                .get(DeliveryTest.path(PROVINCIAL, inXihu)).then().statusCode(200);

        // 刘洋's number was looked up and refused: she sees it, as such
        mine(inYuhang).then().statusCode(200)
                .body("find { it.requestId == '" + outside + "' }.outcome", equalTo("OUT_OF_REGION"))
                .body("requestId", not(hasItem(inside)));
        // the spouse her record names was not looked up and nothing of it left: not in the spouse's view; the
        // delivered record of 张伟, which names the spouse too, is
        mine(spouse).then().statusCode(200).body("requestId", not(hasItem(outside))).body("requestId", hasItem(inside));
        mine(inXihu).then().statusCode(200).body("requestId", hasItem(inside)).body("requestId", not(hasItem(outside)));
    }
}
