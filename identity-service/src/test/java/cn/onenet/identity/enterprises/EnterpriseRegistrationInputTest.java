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
 * Enterprise self-registration takes the credit code as people type it: a Chinese input method's ideographic space
 * (U+3000) around it is white space like any other.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class EnterpriseRegistrationInputTest {

    @Inject
    TestClients clients;

    @Inject
    AccountService accounts;

    @BeforeEach
    void clients() {
        clients.ensure(null);
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
