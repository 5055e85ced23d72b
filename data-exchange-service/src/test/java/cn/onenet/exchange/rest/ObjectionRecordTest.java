package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.SQLException;
import java.util.List;
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
 * 校核 (R13, 条例第二十六条): the provider must find the record an objection is about, verify it and say what it found.
 */
@QuarkusTest
class ObjectionRecordTest extends ExchangeTestBase {

    static final String OBJECTIONS = "/api/exchange/v1/objections";
    static final String HR = DemoData.HUMAN_RESOURCES; // holds the demo grant on 居民户籍信息 (hosted, demo records)
    static final String ZHANG = "33010619850312001X";

    @Inject
    AgroalDataSource dataSource;

    static Response file(String recordKey) {
        return given().auth().oauth2(operator(HR)).contentType(ContentType.JSON)
                .body(Map.of("resourceCode", FakeCatalog.POPULATION, "recordKey", recordKey,
                        "description", "户籍地址与本人申报的现住址不一致"))
                .post(OBJECTIONS);
    }

    static Response answer(long id, Map<String, Object> body) {
        return given().auth().oauth2(operator(DemoData.POLICE)).contentType(ContentType.JSON).body(body)
                .post(OBJECTIONS + "/" + id + "/answer");
    }

    @Test
    void whoeverReadsTheObjectionSeesTheRecordKeyItIsAbout() {
        // white space pasted around the key is not part of it, as in a lookup
        long id = file(" " + ZHANG + "\u3000").then().statusCode(201).body("recordKey", equalTo(ZHANG)).extract()
                .jsonPath().getLong("id");
        for (String token : List.of(operator(DemoData.POLICE), operator(HR), reviewer(), auditor(), admin())) {
            given().auth().oauth2(token).get(OBJECTIONS + "/" + id).then().statusCode(200)
                    .body("recordKey", equalTo(ZHANG));
            given().auth().oauth2(token).get(OBJECTIONS + "?size=200").then().statusCode(200)
                    .body("find { it.id == " + id + " }.recordKey", equalTo(ZHANG));
            given().auth().oauth2(token).get(OBJECTIONS + "/" + id + "/history").then().statusCode(200)
                    .body("[0].action", equalTo("FILE")).body("[0].details.recordKey", equalTo(ZHANG));
        }
        // a department that is no party still does not see it
        given().auth().oauth2(operator(DemoData.MARKET)).get(OBJECTIONS + "/" + id).then().statusCode(404);
    }

    @Test
    void aKeyWithNoRecordInAHostedDatasetIsRefusedNamingRecordKey() {
        long before = count();
        file("330106199901019990").then().statusCode(422).contentType("application/problem+json")
                .body("field", equalTo("recordKey")).body("errors[0].field", equalTo("recordKey"))
                .body("requestId", notNullValue());
        assertEquals(before, count());
    }

    @Test
    void theProviderAnswersWithAnOutcome() {
        long id = file(ZHANG).then().statusCode(201).extract().jsonPath().getLong("id");
        answer(id, Map.of("version", 0, "reason", "经核实无误")).then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("outcome"));
        answer(id, Map.of("version", 0, "outcome", "FIXED", "reason", "经核实无误")).then().statusCode(400)
                .body("field", equalTo("outcome"));
        given().auth().oauth2(operator(HR)).get(OBJECTIONS + "/" + id).then().body("status", equalTo("OPEN"))
                .body("outcome", nullValue());
        answer(id, Map.of("version", 0, "outcome", "CONFIRMED_CORRECT", "reason", "经核对户籍档案，登记地址与档案一致"))
                .then().statusCode(200).body("status", equalTo("ANSWERED"))
                .body("outcome", equalTo("CONFIRMED_CORRECT"));
        given().auth().oauth2(operator(HR)).get(OBJECTIONS + "/" + id).then().body("outcome", equalTo("CONFIRMED_CORRECT"));
        given().auth().oauth2(reviewer()).get(OBJECTIONS + "/" + id + "/history").then()
                .body("find { it.action == 'ANSWER' }.details.outcome", equalTo("CONFIRMED_CORRECT"));
        given().auth().oauth2(operator(HR)).get("/api/exchange/v1/notices").then()
                .body("find { it.kind == 'OBJECTION_ANSWERED' && it.subjectId == " + id + " }.message",
                        containsString("经核实无误"));
    }

    @Test
    void theProviderIsToldInChineseAndEnglish() {
        long id = file(ZHANG).then().statusCode(201).extract().jsonPath().getLong("id");
        given().auth().oauth2(operator(DemoData.POLICE)).get("/api/exchange/v1/notices").then()
                .body("find { it.kind == 'OBJECTION_FILED' && it.subjectId == " + id + " }.message",
                        containsString(" / objection"));
    }

    private long count() {
        try (var c = dataSource.getConnection(); var s = c.createStatement();
                var rs = s.executeQuery("SELECT count(*) FROM objection")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
