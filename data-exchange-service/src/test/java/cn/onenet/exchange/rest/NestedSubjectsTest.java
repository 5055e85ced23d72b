package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Identifiers nested in the delivered record (household members in an array of objects, co-owners in an object) are
 * hashed like the record's key and its top-level values: those people see the access in their view.
 */
@QuarkusTest
class NestedSubjectsTest extends ExchangeTestBase {

    /** An entry of this test's own whose records list household members and co-owners. */
    static final String HOUSEHOLD = "330000-01-02/900792";
    /** A consumer department of this test's own. */
    static final String CONSUMER = "11330000MB00000792";

    @Test
    void householdMembersAndCoOwnersNestedInTheRecordSeeTheLookup() {
        FakeCatalog.add("PUBLISHED", HOUSEHOLD, "测试户籍成员信息", RequestWorkflowTest.PROVIDER, "UNCONDITIONAL",
                "LEVEL_3", "GMSFHM", List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", false),
                        Map.of("code", "XM", "name", "姓名", "sensitive", false),
                        // 通用型 (G): items holding objects and arrays
                        Map.of("code", "JTCY", "name", "家庭成员", "dataType", "G", "sensitive", false),
                        Map.of("code", "GYQK", "name", "共有情况", "dataType", "G", "sensitive", false)));
        replica.pollOnce();
        String holder = CitizenSeesLookupsThatFoundNothingTest.idIn("330106");
        String member = CitizenSeesLookupsThatFoundNothingTest.idIn("330106");
        String child = CitizenSeesLookupsThatFoundNothingTest.idIn("330106");
        String coOwner = CitizenSeesLookupsThatFoundNothingTest.idIn("330110");
        String stranger = CitizenSeesLookupsThatFoundNothingTest.idIn("330106");
        Map<String, Object> record = Map.of("GMSFHM", holder, "XM", "李华",
                "JTCY", List.of(Map.of("XM", "李明", "GMSFHM", member, "GX", "配偶"),
                        Map.of("XM", "李小", "ZJ", List.of(Map.of("ZJLX", "身份证", "ZJHM", child)))),
                "GYQK", Map.of("GYFS", "共同共有", "GYR", Map.of("XM", "王强", "ZJHM", coOwner)));
        given().urlEncodingEnabled(false).auth().oauth2(operator(RequestWorkflowTest.PROVIDER))
                .contentType(ContentType.JSON).body(List.of(record))
                .post("/api/exchange/v1/datasets/" + FakeCatalog.encoded(HOUSEHOLD) + "/records").then()
                .statusCode(201);
        RequestWorkflowTest.file(operator(CONSUMER), RequestWorkflowTest.body(HOUSEHOLD,
                List.of("GMSFHM", "XM", "JTCY", "GYQK"))).then().statusCode(201).body("status", equalTo("GRANTED"));

        String rid = "nested-" + UUID.randomUUID();
        given().urlEncodingEnabled(false).auth().oauth2(operator(CONSUMER)).header("X-Request-Id", rid)
                .get(DeliveryTest.path(HOUSEHOLD, holder)).then().statusCode(200)
                .body("record.JTCY[0].GMSFHM", equalTo(member));

        for (String seen : List.of(holder, member, child, coOwner)) {
            CitizenSeesLookupsThatFoundNothingTest.mine(seen).then().statusCode(200).body("requestId", hasItem(rid))
                    .body("find { it.requestId == '" + rid + "' }.outcome", equalTo("DELIVERED"));
        }
        CitizenSeesLookupsThatFoundNothingTest.mine(stranger).then().statusCode(200)
                .body("requestId", not(hasItem(rid)));

        // the filtered query delivering the same record is theirs too
        String query = "nested-q-" + UUID.randomUUID();
        given().urlEncodingEnabled(false).auth().oauth2(operator(CONSUMER)).header("X-Request-Id", query)
                .get("/api/exchange/v1/data/" + FakeCatalog.encoded(HOUSEHOLD) + "/records?XM=" + "%E6%9D%8E%E5%8D%8E")
                .then().statusCode(200).body("records.size()", equalTo(1));
        CitizenSeesLookupsThatFoundNothingTest.mine(child).then().statusCode(200).body("requestId", hasItem(query));
    }
}
