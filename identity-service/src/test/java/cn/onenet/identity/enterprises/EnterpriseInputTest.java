package cn.onenet.identity.enterprises;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.onenet.identity.enterprises.Enterprises.Person;
import cn.onenet.identity.model.Account;
import io.quarkus.narayana.jta.QuarkusTransaction;
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

    /**
     * The English name the representative types, and the agent's name they invite, are shown to other people later
     * (the enterprise list, the invitation): control characters and unpaired surrogates are a 400 naming the field,
     * nothing stored.
     */
    @Test
    void controlCharactersInTheEnglishNameOrTheAgentsNameAreRefused() {
        Person rep = Enterprises.person(accounts, "郑 文本", 3);
        String uscc = Enterprises.uscc();
        Enterprises.load(Enterprises.admin(), List.of(Enterprises.row(uscc, "杭州郑文本科技有限公司", rep.idNumber(),
                "存续"))).then().statusCode(200);
        for (String englishName : List.of("Zheng\u0007 Text Ltd", "Zheng \ud800Text Ltd")) {
            given().auth().oauth2(rep.token()).contentType("application/json").body(Map.of("uscc", uscc, "name",
                    "杭州郑文本科技有限公司", "englishName", englishName)).post(Enterprises.ME).then().statusCode(400)
                    .body("errors[0].field", org.hamcrest.Matchers.equalTo("englishName"));
        }
        assertEquals(0L, (long) QuarkusTransaction.requiringNew().call(() -> Account.count("uscc", uscc)));
        Enterprises.register(rep.token(), uscc, "杭州郑文本科技有限公司").then().statusCode(201);
        Person agent = Enterprises.person(accounts, "钱 经办", 3);
        for (String agentName : List.of("钱\u001b[2J经办", "钱\udc00经办")) {
            given().auth().oauth2(rep.token()).contentType("application/json").body(Map.of("enterpriseUscc", uscc,
                    "agentIdNumber", agent.idNumber(), "agentName", agentName, "validTo", "2030-01-01T00:00:00+08:00"))
                    .post("/api/identity/v1/delegations").then().statusCode(400)
                    .body("errors[0].field", org.hamcrest.Matchers.equalTo("agentName"));
        }
        assertEquals(0L, (long) QuarkusTransaction.requiringNew().call(() -> cn.onenet.identity.model.Delegation
                .count("createdBy", rep.id())));
    }
}
