package cn.onenet.identity.enterprises;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.onenet.identity.enterprises.Enterprises.Person;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The legal-person registry (法人库) and self-registration take codes as people type and spreadsheets hold them: a
 * Chinese input method's ideographic space (U+3000) is white space like any other; control characters are refused.
 */
@QuarkusTest
class EnterpriseInputTest extends EnterpriseTestBase {

    /** A code followed by an ideographic space (U+3000) is the code: checked, kept and found without it. */
    @Test
    void aCodeFollowedByAnIdeographicSpaceIsLoadedAsTheBareCode() {
        Person rep = Enterprises.person(accounts, "孙 载入", 3);
        String uscc = Enterprises.uscc();
        Response r = Enterprises.load(Enterprises.admin(), List.of(Enterprises.row(uscc + "\u3000", "杭州载入科技有限公司",
                rep.idNumber(), "存续")));
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals(1, r.jsonPath().getInt("added"), r.asString());
        given().auth().oauth2(Enterprises.admin()).queryParam("uscc", uscc).get(Enterprises.REGISTRY).then()
                .statusCode(200).body("uscc", org.hamcrest.Matchers.contains(uscc));
    }

    /** A CSV body is parsed by the loader, not the JSON reader that refuses NUL characters: the row check does. */
    @Test
    void aCsvNameHoldingANulCharacterIsA400NamingTheRow() {
        Person rep = Enterprises.person(accounts, "吴 载入", 3);
        String csv = "uscc,name,representativeIdNumber,status\r\n" + Enterprises.uscc() + ",杭州\u0000载入有限公司,"
                + rep.idNumber() + ",存续\r\n";
        Response r = given().auth().oauth2(Enterprises.admin()).contentType("text/csv; charset=UTF-8").body(csv)
                .post(Enterprises.REGISTRY);
        assertTrue(r.statusCode() == 400 && r.asString().contains("rows[0].name"),
                "CSV row with a NUL in name: " + r.statusCode() + " " + r.asString());
    }

    /** Checked and looked up alike: the register's row is found and the enterprise registered under the bare code. */
    @Test
    void theNamedRepresentativeTypingATrailingIdeographicSpaceRegistersTheEnterprise() {
        Person rep = Enterprises.person(accounts, "周 登记", 3);
        String uscc = Enterprises.uscc();
        Enterprises.load(Enterprises.admin(), List.of(Enterprises.row(uscc, "杭州周登记数据有限公司", rep.idNumber(),
                "存续"))).then().statusCode(200);
        Response r = given().auth().oauth2(rep.token()).contentType("application/json")
                .body(Map.of("uscc", uscc + "\u3000", "name", "杭州周登记数据有限公司")).post(Enterprises.ME);
        assertEquals(201, r.statusCode(), r.asString());
        assertEquals(uscc, r.jsonPath().getString("uscc"), r.asString());
    }
}
