package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.service.DemoData;
import cn.onenet.exchange.service.ObjectionService;
import cn.onenet.exchange.service.TimeSource;
import cn.onenet.testsupport.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class DisputeObjectionTest extends ExchangeTestBase {

    @Inject
    TimeSource time;
    @Inject
    ObjectionService objections;
    @Inject
    AgroalDataSource dataSource;

    @AfterEach
    void realClock() {
        time.set(null);
    }

    @Test
    void aDisputeOverARefusalGoesToTheAuthorityThenUpTheTree() {
        String consumer = operator(RequestWorkflowTest.CONSUMER);
        long notShared = RequestWorkflowTest.file(consumer,
                RequestWorkflowTest.body(FakeCatalog.NOT_SHARED, List.of("GMSFHM"))).jsonPath().getLong("id");
        // a pending request cannot be disputed
        long pending = RequestWorkflowTest.file(consumer,
                RequestWorkflowTest.body(FakeCatalog.CONDITIONAL, List.of("XM"))).jsonPath().getLong("id");
        given().auth().oauth2(consumer).contentType(ContentType.JSON)
                .body(Map.of("requestId", pending, "reason", "x")).post("/api/exchange/v1/disputes").then()
                .statusCode(409);
        long id = given().auth().oauth2(consumer).contentType(ContentType.JSON).header("Idempotency-Key", "d-1")
                .body(Map.of("requestId", notShared, "reason", "履行法定职责确需该数据，且有法律授权"))
                .post("/api/exchange/v1/disputes").then().statusCode(201)
                .body("level", equalTo("COMPETENT_AUTHORITY")).body("handlerDepartmentCode", equalTo(DemoData.AUTHORITY))
                .extract().jsonPath().getLong("id");
        given().auth().oauth2(reviewer()).get("/api/exchange/v1/notices").then().body("kind", hasItem("DISPUTE_OPENED"));
        // another department cannot open a dispute on it, nor see it
        given().auth().oauth2(operator(DemoData.MARKET)).contentType(ContentType.JSON)
                .body(Map.of("requestId", notShared, "reason", "x")).post("/api/exchange/v1/disputes").then()
                .statusCode(404);
        given().auth().oauth2(operator(DemoData.MARKET)).get("/api/exchange/v1/disputes/" + id).then().statusCode(404);
        // only the 主管部门 moves it
        given().auth().oauth2(consumer).contentType(ContentType.JSON).body(Map.of("version", 0, "reason", "x"))
                .post("/api/exchange/v1/disputes/" + id + "/escalate").then().statusCode(403);
        given().auth().oauth2(reviewer()).contentType(ContentType.JSON).body(Map.of("version", 0, "reason", "涉及法律适用，提请政府协调"))
                .post("/api/exchange/v1/disputes/" + id + "/escalate").then().statusCode(200)
                .body("level", equalTo("PEOPLES_GOVERNMENT"));
        given().auth().oauth2(reviewer()).contentType(ContentType.JSON).body(Map.of("version", 1, "reason", "再上"))
                .post("/api/exchange/v1/disputes/" + id + "/escalate").then().statusCode(409);
        // 不予共享 rests on the catalogue's legal basis: not resolved SHARE (R1), only upheld
        given().auth().oauth2(reviewer()).contentType(ContentType.JSON)
                .body(Map.of("version", 1, "outcome", "SHARE", "resolution", "经协调，应按有条件共享办理"))
                .post("/api/exchange/v1/disputes/" + id + "/resolve").then().statusCode(409);
        given().auth().oauth2(reviewer()).contentType(ContentType.JSON)
                .body(Map.of("version", 1, "outcome", "UPHOLD", "resolution", "目录所列法律依据成立"))
                .post("/api/exchange/v1/disputes/" + id + "/resolve").then().statusCode(200)
                .body("status", equalTo("RESOLVED_UPHELD"));
        given().auth().oauth2(consumer).get("/api/exchange/v1/requests/" + notShared).then()
                .body("status", equalTo("NOT_SHARED"));

        // a refusal of conditional data resolved SHARE goes back to the provider
        long refused = RequestWorkflowTest.file(consumer,
                RequestWorkflowTest.body(FakeCatalog.CONDITIONAL, List.of("ZY"))).jsonPath().getLong("id");
        given().auth().oauth2(operator(RequestWorkflowTest.PROVIDER)).contentType(ContentType.JSON)
                .body(Map.of("version", 0, "reason", "用途不符")).post("/api/exchange/v1/requests/" + refused + "/refuse")
                .then().statusCode(200);
        long shared = given().auth().oauth2(consumer).contentType(ContentType.JSON)
                .body(Map.of("requestId", refused, "reason", "履行法定职责确需该数据"))
                .post("/api/exchange/v1/disputes").then().statusCode(201).extract().jsonPath().getLong("id");
        given().auth().oauth2(reviewer()).contentType(ContentType.JSON)
                .body(Map.of("version", 0, "outcome", "SHARE", "resolution", "经协调，应按有条件共享办理"))
                .post("/api/exchange/v1/disputes/" + shared + "/resolve").then().statusCode(200)
                .body("status", equalTo("RESOLVED_SHARE"));
        given().auth().oauth2(consumer).get("/api/exchange/v1/requests/" + refused).then()
                .body("status", equalTo("PENDING"));
    }

    @Test
    void aRequestReopenedAfterADisputeKeepsNothingOfTheOverturnedRefusal() throws Exception {
        String consumer = operator(RequestWorkflowTest.CONSUMER);
        String provider = TestTokens.custom(Map.of("sub", "zheng-" + RequestWorkflowTest.PROVIDER, "aud", AUD,
                "roles", List.of("operator", "head"), "dept", RequestWorkflowTest.PROVIDER, "account_type",
                "civil_servant", "name", "郑处长"));
        long id = RequestWorkflowTest.file(consumer,
                RequestWorkflowTest.body(FakeCatalog.CONDITIONAL, List.of("ZY"))).jsonPath().getLong("id");
        given().auth().oauth2(provider).contentType(ContentType.JSON)
                .body(Map.of("version", 0, "reason", "用途不符")).post("/api/exchange/v1/requests/" + id + "/refuse")
                .then().statusCode(200).body("status", equalTo("REFUSED")).body("providerHeadApprover", equalTo("郑处长"))
                .body("decidedAt", notNullValue());
        long dispute = given().auth().oauth2(consumer).contentType(ContentType.JSON)
                .body(Map.of("requestId", id, "reason", "履行法定职责确需该数据"))
                .post("/api/exchange/v1/disputes").then().statusCode(201).extract().jsonPath().getLong("id");
        given().auth().oauth2(reviewer()).contentType(ContentType.JSON)
                .body(Map.of("version", 0, "outcome", "SHARE", "resolution", "经协调，应按有条件共享办理"))
                .post("/api/exchange/v1/disputes/" + dispute + "/resolve").then().statusCode(200);

        // pending again, undecided: no approver nor decision time of the refusal the 主管部门 overturned
        given().auth().oauth2(consumer).get("/api/exchange/v1/requests/" + id).then().statusCode(200)
                .body("status", equalTo("PENDING")).body("providerHeadApprover", nullValue())
                .body("decidedAt", nullValue());
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT provider_head_approver_subject, decided_at FROM share_request "
                        + "WHERE id = " + id)) {
            assertTrue(rs.next());
            assertNull(rs.getString(1));
            assertNull(rs.getObject(2));
        }
        // the refusal stays in the history with its approver
        given().auth().oauth2(consumer).get("/api/exchange/v1/requests/" + id + "/history").then()
                .body("action", hasItem("REOPEN_AFTER_DISPUTE"));

        // the provider's answer now is its own decision
        int version = given().auth().oauth2(consumer).get("/api/exchange/v1/requests/" + id).jsonPath()
                .getInt("version");
        given().auth().oauth2(operator(RequestWorkflowTest.PROVIDER)).contentType(ContentType.JSON)
                .body(Map.of("version", version)).post("/api/exchange/v1/requests/" + id + "/approve").then()
                .statusCode(200).body("status", equalTo("APPROVED"))
                .body("providerHeadApprover", notNullValue())
                .body("decidedAt", notNullValue());
    }

    @Test
    void objectionsAreAnsweredByTheProviderAndEscalateWhenOverdue() {
        String consumer = operator(DemoData.HUMAN_RESOURCES); // holds the demo grant on 居民户籍信息
        String provider = operator(DemoData.POLICE);
        time.set(Clock.fixed(ZonedDateTime.of(2026, 9, 28, 10, 0, 0, 0, TimeSource.ZONE).toInstant(), TimeSource.ZONE));
        long id = given().auth().oauth2(consumer).contentType(ContentType.JSON)
                .body(Map.of("resourceCode", FakeCatalog.POPULATION, "recordKey", "33010619850312001X",
                        "description", "户籍地址已变更为文三路 200 号"))
                .post("/api/exchange/v1/objections").then().statusCode(201).body("status", equalTo("OPEN"))
                .body("dueOn", equalTo("2026-10-16")).extract().jsonPath().getLong("id");
        // without a grant there is no objection
        given().auth().oauth2(operator(DemoData.EMERGENCY)).contentType(ContentType.JSON)
                .body(Map.of("resourceCode", FakeCatalog.POPULATION, "recordKey", "33010619850312001X",
                        "description", "x"))
                .post("/api/exchange/v1/objections").then().statusCode(403);
        given().auth().oauth2(provider).get("/api/exchange/v1/objections/" + id).then().statusCode(200)
                .body("status", equalTo("OPEN"));
        time.set(Clock.fixed(ZonedDateTime.of(2026, 10, 19, 9, 0, 0, 0, TimeSource.ZONE).toInstant(), TimeSource.ZONE));
        objections.escalateOverdue();
        given().auth().oauth2(reviewer()).get("/api/exchange/v1/objections/" + id).then().body("escalated", equalTo(true));
        given().auth().oauth2(consumer).contentType(ContentType.JSON).body(Map.of("version", 1, "reason", "x"))
                .post("/api/exchange/v1/objections/" + id + "/answer").then().statusCode(404);
        given().auth().oauth2(provider).contentType(ContentType.JSON)
                .body(Map.of("version", 1, "reason", "已核实并更正户籍地址"))
                .post("/api/exchange/v1/objections/" + id + "/answer").then().statusCode(200)
                .body("status", equalTo("ANSWERED"));
        given().auth().oauth2(consumer).get("/api/exchange/v1/objections/" + id).then()
                .body("answer", equalTo("已核实并更正户籍地址"));
    }
}
