package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.service.DemoData;
import cn.onenet.testsupport.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Defects found in correction requests (个人信息更正补充): each test fails while the defect is there. */
@QuarkusTest
class CorrectionReviewTest extends ExchangeTestBase {

    static final String STAFF = CorrectionTest.STAFF;

    /**
     * The number from the token is stored in subject_identifier VARCHAR(18) (V61) while the token's cn_id is not
     * checked for length: a cn_id of another length is a database error, not a 4xx.
     */
    @Test
    void aTokenNumberLongerThanTheColumnIsRefusedWithA4xxNotA500() {
        String token = TestTokens.citizen("review-long-id", "33028219650923004400", AUD);
        Response r = CorrectionTest.file(token, null, CorrectionTest.address("文三路 98 号"));
        assertTrue(r.statusCode() < 500, "POST /me/corrections with a 20-character cn_id: " + r.statusCode() + " "
                + r.asString());
    }

    /**
     * GET /corrections/{id} hides another department's request (404) but POST /corrections/{id}/answer answers 403
     * for an existing one and 404 for a missing one: any operator can enumerate which ids exist.
     */
    @Test
    void anotherDepartmentsOperatorCannotTellAnExistingRequestFromAMissingOne() {
        Response filed = CorrectionTest.file(CorrectionTest.citizen("review-wang", CorrectionTest.WANG_ID), null,
                CorrectionTest.address("文三路 98 号"));
        filed.then().statusCode(201);
        long id = filed.jsonPath().getLong("id");
        String other = operator(DemoData.CIVIL_AFFAIRS);
        given().auth().oauth2(other).get(STAFF + "/" + id).then().statusCode(404);
        Map<String, Object> body = Map.of("version", 0, "outcome", "CORRECTED", "reason", "已更正");
        int existing = answer(other, id);
        int missing = answer(other, 987_654_321L);
        assertEquals(List.of(missing), List.of(existing),
                "answer by another department's operator: existing id " + existing + ", missing id " + missing
                        + " (body " + body + ")");
    }

    private static int answer(String token, long id) {
        return given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("version", 0, "outcome", "CORRECTED", "reason", "已更正"))
                .post(STAFF + "/" + id + "/answer").statusCode();
    }
}
