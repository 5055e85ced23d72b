package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.service.TimeSource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * R12 (purpose binding): a keyed lookup without X-Grant-Id runs under the one API grant of the consumer in force on
 * the entry today. A grant whose period has not begun is never chosen, and with two in force the call must name the
 * grant (and so the purpose) it is made for: 409 naming X-Grant-Id, listing them, nothing delivered or logged.
 */
@QuarkusTest
class KeylessGrantChoiceTest extends ExchangeTestBase {

    static final String RECORD = "330110200102150052";

    @Inject
    AgroalDataSource dataSource;

    static Response lookup(String token, String code, Long grant) {
        var spec = given().urlEncodingEnabled(false).auth().oauth2(token);
        if (grant != null) {
            spec = spec.header("X-Grant-Id", grant);
        }
        return spec.get(DeliveryTest.path(code, RECORD));
    }

    static long grant(String consumer, String code, String purpose, LocalDate from, LocalDate to) {
        Map<String, Object> body = RequestWorkflowTest.body(code, List.of("GMSFHM", "XM"));
        body.put("purpose", purpose);
        body.put("periodFrom", from.toString());
        body.put("periodTo", to.toString());
        return DeliveryTest.fileGranted(consumer, body);
    }

    @Test
    void aLookupWithoutTheHeaderUsesTheOneGrantInForceAndRefusesToGuessBetweenTwo() throws Exception {
        String code = "330000-01-02/900761";
        DeliveryTest.freshEntry(replica, code, "UNCONDITIONAL");
        String consumer = operator("11330000MB00000761");
        LocalDate today = LocalDate.now(TimeSource.ZONE);
        long inForce = grant(consumer, code, "社会保障待遇资格认证", today.minusDays(1), today.plusYears(1));
        lookup(consumer, code, null).then().statusCode(200).body("grantId", equalTo((int) inForce));

        // a grant for a later period is newer, but not in force: the lookup stays under the one that is
        long later = grant(consumer, code, "社会保障待遇资格认证", today.plusMonths(6), today.plusYears(2));
        lookup(consumer, code, null).then().statusCode(200).body("grantId", equalTo((int) inForce))
                .body("purpose", equalTo("社会保障待遇资格认证"));
        lookup(consumer, code, later).then().statusCode(403);

        // a second grant in force for another purpose: which one the call serves is the caller's to say
        long second = grant(consumer, code, "监管执法核查", today, today.plusYears(1));
        long logged = logged(code);
        lookup(consumer, code, null).then().statusCode(409).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("X-Grant-Id")))
                .body("detail", containsString("X-Grant-Id"))
                .body("grants.grantId", equalTo(List.of((int) inForce, (int) second)))
                .body("grants.purpose", equalTo(List.of("社会保障待遇资格认证", "监管执法核查")))
                .body("requestId", org.hamcrest.Matchers.notNullValue());
        assertEquals(logged, logged(code), "a refused lookup leaves no usage-log entry");
        lookup(consumer, code, second).then().statusCode(200).body("grantId", equalTo((int) second))
                .body("purpose", equalTo("监管执法核查"));
        lookup(consumer, code, inForce).then().statusCode(200).body("purpose", equalTo("社会保障待遇资格认证"));
    }

    @Test
    void aGrantNamedForAnotherResourceIsRefusedNamingTheHeader() {
        String code = "330000-01-02/900762";
        String other = "330000-01-02/900763";
        DeliveryTest.freshEntry(replica, code, "UNCONDITIONAL");
        DeliveryTest.freshEntry(replica, other, "UNCONDITIONAL");
        String consumer = operator("11330000MB00000762");
        LocalDate today = LocalDate.now(TimeSource.ZONE);
        long onOther = grant(consumer, other, "社会保障待遇资格认证", today, today.plusYears(1));
        lookup(consumer, code, onOther).then().statusCode(403).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("X-Grant-Id"))).body("grantId", equalTo((int) onOther));
        // another department's grant named in an export
        given().auth().oauth2(operator("11330000MB00000763")).contentType("application/json")
                .body(Map.of("grantId", onOther, "format", "CSV")).post("/api/exchange/v1/exports").then()
                .statusCode(404).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("grantId")));
    }

    long logged(String resourceCode) throws Exception {
        return KeylessLookupTest.logged(dataSource, resourceCode);
    }
}
