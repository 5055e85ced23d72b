package cn.onenet.identity.oidc;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cn.onenet.common.identifiers.CreditCode;
import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.AccountType;
import cn.onenet.identity.model.OutboxMessage;
import cn.onenet.identity.service.AccountClosureService;
import cn.onenet.identity.service.AccountService;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * When the closure of an account, or an administrator's counter verification of it, ends the delegations and
 * invitations it was a side of, the other side is told as at every other step of a delegation.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class DelegationEndNoticesTest {

    private static final String CLOSED = "已因一方账户注销而终止";
    private static final String COUNTER = "已因服务窗口对一方账户的现场核验而终止";

    @Inject
    TestClients clients;
    @Inject
    AccountService accounts;
    @Inject
    AccountClosureService closures;
    @Inject
    EntityManager em;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    /** An enterprise with its own phone and a legal representative with theirs. */
    private record Enterprise(String uscc, String phone, Account representative, String representativePhone) {
    }

    private Enterprise enterprise(String name) {
        String repPhone = phone();
        Account rep = citizen(name + "法代", repPhone);
        String phone = phone();
        String first17 = "91330106MA5N" + String.format("%05d", ThreadLocalRandom.current().nextInt(100_000));
        String uscc = first17 + CreditCode.checkCharacter(first17);
        QuarkusTransaction.requiringNew().run(() -> accounts.create(new AccountService.NewAccount(
                AccountType.LEGAL_PERSON, null, name, null, uscc, null, rep.id, null, OidcFlow.PASSWORD, null, phone),
                "test"));
        return new Enterprise(uscc, phone, rep, repPhone);
    }

    /** An L3 citizen with a phone on record. */
    private Account citizen(String name, String phone) {
        Account account = QuarkusTransaction.requiringNew().call(() -> TotpLifecycleTest.newCitizen(accounts, name));
        QuarkusTransaction.requiringNew().run(() -> Account.update("phone = ?1, level = 3 where id = ?2", phone,
                account.id));
        return account;
    }

    private static String delegate(Enterprise e, Account agent, String agentName) {
        return given().auth().oauth2(OidcFlow.accessToken("test-web", e.representative.username))
                .contentType("application/json").body(Map.of("enterpriseUscc", e.uscc, "agentIdNumber",
                        agent.username, "agentName", agentName, "validTo", OffsetDateTime.now().plusDays(30)
                                .toString()))
                .post("/api/identity/v1/delegations").then().statusCode(201).extract().path("id");
    }

    private static long told(String phone, String text) {
        return QuarkusTransaction.requiringNew().call(() -> OutboxMessage.<OutboxMessage>list(
                "recipient = ?1 and kind = 'DELEGATION_CHANGED'", phone).stream().filter(m -> m.body.contains(text))
                .count());
    }

    private static String phone() {
        return "135" + String.format("%08d", ThreadLocalRandom.current().nextInt(100_000_000));
    }

    @Test
    void whenTheAgentsAccountIsClosedTheEnterpriseAndItsRepresentativeAreTold() {
        Enterprise e = enterprise("注销通知测试有限公司");
        String agentPhone = phone();
        Account agent = citizen("注销经办", agentPhone);
        String id = delegate(e, agent, "注销经办");
        String agentToken = OidcFlow.accessToken("test-web", agent.username);
        given().auth().oauth2(agentToken).post("/api/identity/v1/delegations/" + id + "/accept").then()
                .statusCode(200);
        given().auth().oauth2(agentToken).contentType("application/json")
                .body(Map.of("password", OidcFlow.PASSWORD)).delete("/api/identity/v1/me").then().statusCode(202);
        assertEquals(0, told(e.phone, CLOSED), "nothing ends before the cooling-off has passed");

        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("UPDATE account_closure SET effective_at = "
                + "now() - interval '1 minute' WHERE account_id = ?1").setParameter(1, agent.id).executeUpdate());
        closures.closeDue();
        for (String p : List.of(e.phone, e.representativePhone)) {
            assertEquals(1, told(p, CLOSED), p);
            assertEquals(1, told(p, "because one side's account was closed"), p);
        }
        // the closed account's own notice is ACCOUNT_CLOSED, not this
        assertEquals(0, told(agentPhone, CLOSED));
    }

    @Test
    void whenTheAgentsAccountIsCheckedAtACounterTheEnterpriseSideIsToldOfTheEndedInvitation() {
        Enterprise e = enterprise("核验通知测试有限公司");
        String agentPhone = phone();
        Account agent = citizen("核验经办", agentPhone);
        // an invitation not yet answered: it names the account by its ID number only
        String id = delegate(e, agent, "核验经办");
        given().auth().oauth2(OidcFlow.accessToken("test-web", "dsj.admin")).contentType("application/json")
                .body(Map.of("phone", phone(), "reason", "受理单 HZ-T-9：身份证原件核验，本人到场"))
                .post("/api/identity/v1/accounts/" + agent.id + "/counter-verification").then().statusCode(200);
        for (String p : List.of(e.phone, e.representativePhone)) {
            assertEquals(1, told(p, COUNTER), p);
            assertEquals(1, told(p, "after an in-person check"), p);
        }
        assertEquals(0, told(agentPhone, COUNTER));
        String status = QuarkusTransaction.requiringNew().call(() -> (String) em.createNativeQuery("SELECT status "
                + "FROM delegation WHERE id = ?1").setParameter(1, java.util.UUID.fromString(id)).getSingleResult());
        assertEquals("REVOKED", status);
    }

    @Test
    void whenTheEnterprisesAccountIsCheckedAtACounterTheAgentIsTold() {
        Enterprise e = enterprise("企业核验通知有限公司");
        String agentPhone = phone();
        Account agent = citizen("企业核验经办", agentPhone);
        String id = delegate(e, agent, "企业核验经办");
        given().auth().oauth2(OidcFlow.accessToken("test-web", agent.username))
                .post("/api/identity/v1/delegations/" + id + "/accept").then().statusCode(200);
        Account enterprise = QuarkusTransaction.requiringNew().call(() -> Account.<Account>find("uscc", e.uscc)
                .firstResult());
        given().auth().oauth2(OidcFlow.accessToken("test-web", "dsj.admin")).contentType("application/json")
                .body(Map.of("phone", phone(), "reason", "受理单 HZ-T-10：营业执照原件核验，法定代表人到场"))
                .post("/api/identity/v1/accounts/" + enterprise.id + "/counter-verification").then().statusCode(200);
        assertEquals(1, told(agentPhone, COUNTER));
        assertEquals(1, told(e.representativePhone, COUNTER));
        assertEquals(0, told(e.phone, COUNTER), "the checked account's old contact gets the contact notice instead");
    }
}
