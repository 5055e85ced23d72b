package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.testsupport.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Refusals of bad query values name the field in errors[].field and say what is wrong in words, in Chinese and in
 * English: the Chinese half does not show the API's parameter names (a reader of Chinese does not know them).
 */
@QuarkusTest
class ProblemWordsTest extends ExchangeTestBase {

    /** A parameter name of the API standing in the Chinese half. */
    private static final Pattern API_NAME_IN_CHINESE = Pattern.compile(
            "\\b(size|page|side|awaiting|from|to|after|before)\\b");

    /** A 400 problem naming {@code field}, whose Chinese half starts with {@code words} and shows no API name. */
    private static void refusedInWords(Response r, String field, String words) {
        r.then().statusCode(400).contentType("application/problem+json").body("field", equalTo(field))
                .body("requestId", notNullValue());
        String detail = r.jsonPath().getString("detail");
        int half = detail.indexOf(" / ");
        assertTrue(half > 0, "a Chinese and an English half: " + detail);
        String chinese = detail.substring(0, half);
        assertTrue(chinese.startsWith(words), detail);
        assertFalse(API_NAME_IN_CHINESE.matcher(chinese).find(), detail);
        assertTrue(detail.substring(half + 3).matches("[ -~]+"), "an English half: " + detail);
    }

    private static Response get(String token, String path) {
        return given().auth().oauth2(token).get("/api/exchange/v1" + path);
    }

    @Test
    void pageAndSizeOutOfRangeAreNamedInWords() {
        refusedInWords(get(auditor(), "/usage-log/checkpoints?size=500"), "size", "每页条数须为 1 到 200 之间的整数");
        refusedInWords(get(auditor(), "/usage-log/checkpoints?page=99999999999&size=200"), "page", "页码过大");
        String citizen = TestTokens.citizen("words", "33010619850312001X", AUD);
        refusedInWords(get(citizen, "/me/data-accesses?size=500"), "size", "每页条数须为 1 到 200 之间的整数");
        refusedInWords(get(citizen, "/me/data-accesses?page=99999999999"), "page", "页码过大");
    }

    @Test
    void theUsageLogsBoundsWithNothingBetweenThemAreNamedInWords() {
        refusedInWords(get(auditor(), "/usage-log?after=5&before=6"), "before", "起始序号与截止序号之间没有记录序号");
    }

    @Test
    void theRequestListsSideAndAwaitingAreNamedInWords() {
        String operator = operator(RequestWorkflowTest.CONSUMER);
        refusedInWords(get(operator, "/requests?side=mine"), "side",
                "申请方向须为本部门提供的（provider）或本部门申请的（consumer）");
        refusedInWords(get(operator, "/requests?awaiting=head"), "awaiting",
                "待办事项须为答复待负责人审核（answer-approval）");
        refusedInWords(get(operator, "/requests?awaiting=answer-approval&side=consumer"), "side", "答复待负责人审核");
        refusedInWords(get(operator, "/requests?awaiting=answer-approval&status=PENDING"), "status", "答复待负责人审核");
    }

    @Test
    void aComplianceReportPeriodEndingBeforeItStartsIsNamedInWords() {
        refusedInWords(get(reviewer(), "/compliance-report?from=2026-10-01&to=2026-09-30"), "from",
                "起始日不能晚于截止日");
    }
}
