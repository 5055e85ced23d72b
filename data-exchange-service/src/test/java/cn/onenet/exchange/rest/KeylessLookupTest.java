package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.service.DemoData;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

/** A catalogue entry need not name a key item; a keyed lookup on one is refused before anything is called or logged. */
@QuarkusTest
class KeylessLookupTest extends ExchangeTestBase {

    static final String CODE = "330000-01-09/900031";

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aLookupOnAnEntryWithoutKeyItemIs409AndNothingIsLogged() throws Exception {
        FakeCatalog.add("PUBLISHED", CODE, "无主键的代理服务目录", DemoData.EMERGENCY, "UNCONDITIONAL", "LEVEL_2", null,
                List.of(Map.of("code", "ZZBH", "name", "证照编号", "sensitive", false),
                        Map.of("code", "ZZMC", "name", "证照名称", "sensitive", false)));
        replica.pollOnce();
        // the provider's service answers every licence number it knows
        given().urlEncodingEnabled(false).auth().oauth2(operator(DemoData.EMERGENCY)).contentType(ContentType.JSON)
                .body(Map.of("endpointUrl", "http://127.0.0.1:" + RestAssured.port
                        + "/api/exchange/v1/demo-provider/licences", "timeoutMs", 3000))
                .put("/api/exchange/v1/datasets/" + FakeCatalog.encoded(CODE) + "/proxy").then().statusCode(200);
        long grant = RequestWorkflowTest.file(operator(DemoData.CIVIL_AFFAIRS),
                RequestWorkflowTest.body(CODE, List.of("ZZBH", "ZZMC"))).then().statusCode(201)
                .body("status", equalTo("GRANTED")).extract().jsonPath().getLong("grantId");

        given().urlEncodingEnabled(false).auth().oauth2(operator(DemoData.CIVIL_AFFAIRS)).header("X-Grant-Id", grant)
                .get(DeliveryTest.path(CODE, "DZZZ-330106-0001")).then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("no key item"));
        assertEquals(0, logged(CODE), "a refused lookup leaves no usage-log entry");
    }

    long logged(String resourceCode) throws Exception {
        return logged(dataSource, resourceCode);
    }

    /** How many usage-log entries of data calls name the resource (a grant's chained terms are no call). */
    static long logged(AgroalDataSource dataSource, String resourceCode) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM usage_log WHERE resource_code = ? "
                        + "AND operation <> 'GRANT'")) {
            ps.setString(1, resourceCode);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
