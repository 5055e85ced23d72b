package cn.onenet.identity.enterprises;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cn.onenet.identity.enterprises.Enterprises.Person;
import cn.onenet.identity.oidc.TestClients;
import cn.onenet.identity.service.AccountService;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Defects found in loading the legal-person registry (法人库): bad rows that reach the database as a 500. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class LegalPersonRegistryReviewTest {

    @Inject
    TestClients clients;

    @Inject
    AccountService accounts;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    /**
     * A row whose code ends in U+3000 passes the row checks ({@code strip()}), then is stored {@code trim()}med: 19
     * characters for uscc VARCHAR(18).
     */
    @Test
    void aRegistryRowWhoseCodeEndsInAnIdeographicSpaceIsLoadedOrNamedNotA500() {
        Person rep = Enterprises.person(accounts, "孙 评审", 3);
        String uscc = Enterprises.uscc();
        Response r = Enterprises.load(Enterprises.admin(), List.of(Enterprises.row(uscc + "\u3000", "杭州评审科技有限公司",
                rep.idNumber(), "存续")));
        assertTrue(r.statusCode() < 500, "POST legal-person-registry with uscc + U+3000: " + r.statusCode() + " "
                + r.asString());
    }

    /**
     * JSON bodies with a NUL are refused while read (NulCharacterModule), a CSV body is not: a name holding U+0000
     * passes the row checks and PostgreSQL refuses it in text.
     */
    @Test
    void aCsvNameHoldingANulCharacterIsA400NamingTheRowNotA500() {
        Person rep = Enterprises.person(accounts, "吴 评审", 3);
        String csv = "uscc,name,representativeIdNumber,status\r\n" + Enterprises.uscc() + ",杭州\u0000评审有限公司,"
                + rep.idNumber() + ",存续\r\n";
        Response r = given().auth().oauth2(Enterprises.admin()).contentType("text/csv; charset=UTF-8").body(csv)
                .post(Enterprises.REGISTRY);
        assertTrue(r.statusCode() >= 400 && r.statusCode() < 500 && r.asString().contains("rows[0].name"),
                "CSV row with a NUL in name: " + r.statusCode() + " " + r.asString());
    }
}
