package cn.onenet.identity.enterprises;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

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

/**
 * A defect found in enterprise self-registration: the credit code is checked after {@code strip()} (which removes
 * the ideographic space U+3000 a Chinese input method types) but looked up after {@code CreditCode.normalise}, which
 * only {@code trim()}s.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class EnterpriseRegistrationReviewTest {

    @Inject
    TestClients clients;

    @Inject
    AccountService accounts;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    /**
     * The representative the register names types the code with a trailing U+3000: the check accepts the code,
     * the lookup misses it, and the answer says the register does not name them (403).
     */
    @Test
    void theNamedRepresentativeTypingATrailingIdeographicSpaceRegistersTheEnterprise() {
        Person rep = Enterprises.person(accounts, "周 评审", 3);
        String uscc = Enterprises.uscc();
        Enterprises.load(Enterprises.admin(), List.of(Enterprises.row(uscc, "杭州周评审数据有限公司", rep.idNumber(),
                "存续"))).then().statusCode(200);
        Response r = given().auth().oauth2(rep.token()).contentType("application/json")
                .body(Map.of("uscc", uscc + "\u3000", "name", "杭州周评审数据有限公司")).post(Enterprises.ME);
        assertEquals(201, r.statusCode(), r.asString());
    }
}
