package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * Every true/false query flag of the exchange is one typed {@code Boolean}: true or false in any letter case, an empty
 * value or none is the default, anything else (also "0" and "1") a 400 naming the flag.
 */
@QuarkusTest
class QueryFlagTest extends ExchangeTestBase {

    static final String API = "/api/exchange/v1";

    static ValidatableResponse get(String token, String path, String flag, String value) {
        return given().auth().oauth2(token).queryParam(flag, value).get(API + path).then();
    }

    static void refused(String token, String path, String flag, String... values) {
        for (String value : values) {
            get(token, path, flag, value).statusCode(400).contentType("application/problem+json")
                    .body("field", equalTo(flag)).body("detail", containsString("true"));
        }
    }

    static void allowed(String token, String path, String flag, String... values) {
        for (String value : values) {
            get(token, path, flag, value).statusCode(200);
        }
        given().auth().oauth2(token).get(API + path).then().statusCode(200);
    }

    @Test
    void correctionsOverdueInAnyCase() {
        allowed(reviewer(), "/corrections", "overdue", "TRUE", "False", "true", "");
        refused(reviewer(), "/corrections", "overdue", "0", "1", "yes");
    }

    @Test
    void complaintsAndIncidentsRefuseZero() {
        // a primitive boolean read an explicit "0" as false; the flag is true or false only
        allowed(reviewer(), "/complaints", "overdue", "True", "FALSE");
        refused(reviewer(), "/complaints", "overdue", "0", "maybe");
        allowed(reviewer(), "/incidents", "overdue", "TRUE", "false");
        refused(reviewer(), "/incidents", "overdue", "0", "on");
    }

    @Test
    void complianceReportSubregionsInAnyCase() {
        get(admin(), "/compliance-report", "includeSubregions", "True").statusCode(200)
                .body("includeSubregions", equalTo(true));
        get(admin(), "/compliance-report", "includeSubregions", "FALSE").statusCode(200)
                .body("includeSubregions", equalTo(false));
        get(admin(), "/compliance-report", "includeSubregions", "").statusCode(200)
                .body("includeSubregions", equalTo(false));
        refused(admin(), "/compliance-report", "includeSubregions", "0", "yes");
    }

    @Test
    void datasetsStaleInAnyCase() {
        get(auditor(), "/datasets?size=200", "stale", "TRUE").statusCode(200).body("stale", everyItem(equalTo(true)));
        get(auditor(), "/datasets?size=200", "stale", "False").statusCode(200)
                .body("stale", everyItem(equalTo(false)));
        allowed(auditor(), "/datasets", "stale", "");
        refused(auditor(), "/datasets", "stale", "0", "maybe");
    }

    @Test
    void grantsLogAndNotices() {
        allowed(reviewer(), "/grants", "disposalOverdue", "TRUE", "False");
        refused(reviewer(), "/grants", "disposalOverdue", "0", "soon");
        allowed(auditor(), "/usage-log?resourceCode=330000-01-02/000123", "exactResourceCode", "TRUE", "false");
        refused(auditor(), "/usage-log?resourceCode=330000-01-02/000123", "exactResourceCode", "0", "yes");
        allowed(reviewer(), "/notices", "unread", "TRUE", "False");
        refused(reviewer(), "/notices", "unread", "0", "maybe");
        String wang = RequesterNoticeTest.citizen(CitizenSeesLookupsThatFoundNothingTest.idIn("330106"));
        allowed(wang, "/me/notices", "unread", "True", "FALSE");
        refused(wang, "/me/notices", "unread", "0", "maybe");
    }
}
