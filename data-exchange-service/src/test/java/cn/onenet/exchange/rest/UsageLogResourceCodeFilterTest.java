package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Filtering the usage log by resource code after a reclassification (目录重新分类): the entries keep the code they
 * were logged with, the filter finds the resource's entries under every code it has had.
 */
@QuarkusTest
class UsageLogResourceCodeFilterTest extends ExchangeTestBase {

    static final String LOG = "/api/exchange/v1/usage-log";

    static List<Integer> seqs(String token, String code, Boolean exact, long after) {
        var spec = given().urlEncodingEnabled(true).auth().oauth2(token).queryParam("resourceCode", code)
                .queryParam("after", after).queryParam("limit", 200);
        if (exact != null) {
            spec = spec.queryParam("exactResourceCode", exact);
        }
        // the lookups' entries: the grants' chained state changes (GrantEvidence) are logged under the code as well
        return spec.get(LOG).then().statusCode(200).extract().jsonPath()
                .getList("findAll { it.operation != 'GRANT' }.seq", Integer.class);
    }

    static long logged(String code, String key) {
        return ReclassificationTest.lookup(ReclassificationTest.CONSUMER, code, key, "filter-" + UUID.randomUUID())
                .then().statusCode(200).extract().jsonPath().getLong("usageLogSeq");
    }

    @Test
    void theOldAndTheNewCodeFindTheEntriesLoggedUnderEitherAndExactFindsOnlyItsOwn() {
        String a = "330000-01-02/900731";
        String b = "330000-02-01/900731";
        String c = "330000-03-01/900731";
        Map<String, Object> doc = FakeCatalog.add("PUBLISHED", a, "测试使用记录筛选 " + a, ReclassificationTest.PROVIDER,
                "UNCONDITIONAL", "LEVEL_3", "GMSFHM",
                List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", true),
                        Map.of("code", "XM", "name", "姓名", "sensitive", true),
                        Map.of("code", "ZY", "name", "职业", "sensitive", false)));
        replica.pollOnce();
        ReclassificationTest.push(a, ReclassificationTest.LIU, "刘洋").then().statusCode(201);
        ReclassificationTest.grantFor(ReclassificationTest.CONSUMER, a);
        long underA = logged(a, ReclassificationTest.LIU);

        ReclassificationTest.reclassify(doc, a, b, 2);
        replica.pollOnce();
        long viaOld = logged(a, ReclassificationTest.LIU);
        long underB = logged(b, ReclassificationTest.LIU);

        ReclassificationTest.reclassify(doc, b, c, 3);
        replica.pollOnce();
        long underC = logged(c, ReclassificationTest.LIU);
        List<Integer> all = List.of((int) underA, (int) viaOld, (int) underB, (int) underC);

        // every code of the resource finds all its entries, for the 主管部门 and for the provider alike
        for (String code : List.of(a, b, c)) {
            assertEquals(all, seqs(auditor(), code, null, underA - 1), code);
            assertEquals(all, seqs(auditor(), code, false, underA - 1), code);
            assertEquals(all, seqs(operator(ReclassificationTest.PROVIDER), code, null, underA - 1), code);
        }
        // exactly as logged: the code of the time
        assertEquals(List.of((int) underA), seqs(auditor(), a, true, underA - 1));
        assertEquals(List.of((int) viaOld, (int) underB), seqs(auditor(), b, true, underA - 1));
        assertEquals(List.of((int) underC), seqs(auditor(), c, true, underA - 1));
        // a code nobody ever had finds nothing
        assertEquals(List.of(), seqs(auditor(), "330000-09-09/900731", null, underA - 1));

        given().auth().oauth2(auditor()).queryParam("resourceCode", a).queryParam("exactResourceCode", "maybe")
                .get(LOG).then().statusCode(400).contentType("application/problem+json")
                .body("field", equalTo("exactResourceCode"));
    }
}
