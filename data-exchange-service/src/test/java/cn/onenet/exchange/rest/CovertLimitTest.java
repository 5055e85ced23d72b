package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.service.TimeSource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * R21: a covert query, under a grant whose request declared covert use for the longest period, hides an access from the
 * citizen for a bounded time (exchange.covert.max-period, P1Y) and only on a legal basis that cites a law or an
 * article; otherwise 400 naming the header, and nothing is delivered.
 */
@QuarkusTest
class CovertLimitTest extends ExchangeTestBase {

    static final String CITED = "《刑事诉讼法》第一百五十条";

    @Inject
    AgroalDataSource dataSource;

    static Response covert(long grant, LocalDate until, String basis) {
        return given().urlEncodingEnabled(false).auth().oauth2(operator(CovertUseGrantTest.INVESTIGATOR))
                .header("X-Grant-Id", grant).header("X-Covert-Until", until.toString())
                .header("X-Covert-Legal-Basis", URLEncoder.encode(basis, StandardCharsets.UTF_8).replace("+", "%20"))
                .get(DeliveryTest.path(FakeCatalog.POPULATION, "330282196509230044"));
    }

    @Test
    void aCovertQueryIsHiddenForAtMostAYearOnACitedBasis() {
        long grant = CovertUseGrantTest.covertGrant(CovertUseGrantTest.INVESTIGATOR);
        LocalDate today = LocalDate.now(TimeSource.ZONE);
        for (LocalDate tooLate : new LocalDate[] { LocalDate.of(9999, 12, 31), today.plusYears(1).plusDays(1) }) {
            covert(grant, tooLate, CITED).then().statusCode(400).contentType("application/problem+json")
                    .body("field", equalTo("X-Covert-Until"));
        }
        for (String vague : new String[] { "x", "依法", "依法办案需要保密", "根据有关规定" }) {
            covert(grant, today.plusDays(30), vague).then().statusCode(400).contentType("application/problem+json")
                    .body("field", equalTo("X-Covert-Legal-Basis"));
        }
        // a basis longer than any citation, or one with a control character (a raw tab too), is no basis
        covert(grant, today.plusDays(30), CITED + "，".repeat(1000)).then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("X-Covert-Legal-Basis"));
        given().urlEncodingEnabled(false).auth().oauth2(operator(CovertUseGrantTest.INVESTIGATOR))
                .header("X-Grant-Id", grant).header("X-Covert-Until", today.plusDays(30).toString())
                .header("X-Covert-Legal-Basis", "Criminal Procedure Law,\tArticle 150")
                .get(DeliveryTest.path(FakeCatalog.POPULATION, "330282196509230044")).then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("X-Covert-Legal-Basis"));
        covert(grant, today.plusYears(1), CITED).then().statusCode(200);
        covert(grant, today.plusDays(30), "Criminal Procedure Law, Article 150").then().statusCode(200);
    }

    @Test
    void aLegalBasisThatIsNotOnePrintableLineIsRefusedAndNothingIsLogged() throws Exception {
        long grant = CovertUseGrantTest.covertGrant(CovertUseGrantTest.INVESTIGATOR);
        LocalDate until = LocalDate.now(TimeSource.ZONE).plusDays(30);
        long head = head();
        // a tab, a line feed, a line separator, and a right-to-left override that would show the citation reversed
        for (String bad : List.of(CITED + "\t第二款", CITED + "\n第二款", CITED + "\u2028第二款", "\u202E" + CITED)) {
            covert(grant, until, bad).then().statusCode(400).contentType("application/problem+json")
                    .body("field", equalTo("X-Covert-Legal-Basis"))
                    .body("errors[0].field", equalTo("X-Covert-Legal-Basis"));
        }
        assertEquals(head, head(), "a refused query is not logged");
        covert(grant, until, CITED + "第二款").then().statusCode(200);
    }

    private long head() throws Exception {
        try (var c = dataSource.getConnection(); var s = c.createStatement();
                var rs = s.executeQuery("SELECT last_seq FROM usage_log_head")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
