package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.service.DemoData;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Purpose binding (目的绑定): data leaves only under a grant of the calling department. Naming another department's
 * grant gets nothing by any delivery path, nothing is logged under it for the caller, and query parameters do not
 * widen what a grant delivers.
 */
@QuarkusTest
class GrantBindingTest extends ExchangeTestBase {

    static final String HR = DeliveryTest.HR;
    static final String OTHER = DemoData.EMERGENCY; // holds no grant on 居民户籍信息
    static final String CITIZEN = DeliveryTest.CITIZEN;

    @Inject
    AgroalDataSource dataSource;

    long usesBy(String department, long grantId) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM usage_log WHERE consumer_department_code = ? AND grant_id = ?")) {
            ps.setString(1, department);
            ps.setLong(2, grantId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void anotherDepartmentsGrantDeliversNothingByAnyPath() throws Exception {
        Response own = DeliveryTest.lookup(operator(HR), FakeCatalog.POPULATION, CITIZEN);
        own.then().statusCode(200).body("purpose", equalTo("社会保障待遇资格认证"));
        long grant = own.jsonPath().getLong("grantId");
        String token = operator(OTHER);

        // keyed lookup naming HR's grant
        Response lookup = given().urlEncodingEnabled(false).auth().oauth2(token).header("X-Grant-Id", grant)
                .get(DeliveryTest.path(FakeCatalog.POPULATION, CITIZEN));
        lookup.then().statusCode(403).contentType("application/problem+json");
        assertFalse(lookup.asString().contains("张"), lookup.asString());
        // filtered query naming it
        Response query = given().urlEncodingEnabled(false).auth().oauth2(token).header("X-Grant-Id", grant)
                .get("/api/exchange/v1/data/" + FakeCatalog.encoded(FakeCatalog.POPULATION) + "/records?GMSFHM="
                        + CITIZEN);
        query.then().statusCode(403).contentType("application/problem+json");
        assertFalse(query.asString().contains("张"), query.asString());
        // bulk export, subscription feed and webhook under it: to the caller the grant does not exist
        given().auth().oauth2(token).contentType(ContentType.JSON).header("Idempotency-Key", "binding-export-1")
                .body(Map.of("grantId", grant, "format", "JSONL")).post("/api/exchange/v1/exports").then()
                .statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(token).get("/api/exchange/v1/data/subscriptions/" + grant + "/changes").then()
                .statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("url", "https://example.org/hook")).put("/api/exchange/v1/subscriptions/" + grant
                        + "/webhook")
                .then().statusCode(404).contentType("application/problem+json");

        // nothing was used under the grant by the caller
        assertEquals(0, usesBy(OTHER, grant));
    }

    @Test
    void queryParametersDoNotWidenTheGrantedItems() {
        // the demo grant delivers GMSFHM, XM and HJDZ; asking for 性别 and 出生日期 in the query is refused, naming
        // the parameter, rather than silently ignored: the caller learns that a lookup cannot narrow or widen the grant
        given().urlEncodingEnabled(false).auth().oauth2(operator(HR))
                .get(DeliveryTest.path(FakeCatalog.POPULATION, CITIZEN) + "?items=XB,CSRQ")
                .then().statusCode(400).contentType("application/problem+json").body("field", equalTo("items"));
        given().urlEncodingEnabled(false).auth().oauth2(operator(HR))
                .get(DeliveryTest.path(FakeCatalog.POPULATION, CITIZEN))
                .then().statusCode(200).body("record", not(hasKey("XB"))).body("record", not(hasKey("CSRQ")))
                .body("record.XM", equalTo("张*"));
        // a filter on an item the grant does not deliver is refused, naming it
        given().urlEncodingEnabled(false).auth().oauth2(operator(HR))
                .get("/api/exchange/v1/data/" + FakeCatalog.encoded(FakeCatalog.POPULATION) + "/records?CSRQ=1985-03-12")
                .then().statusCode(400).contentType("application/problem+json").body("field", equalTo("CSRQ"));
    }
}
