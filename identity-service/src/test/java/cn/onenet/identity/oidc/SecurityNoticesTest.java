package cn.onenet.identity.oidc;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cn.onenet.common.identifiers.CreditCode;
import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.AccountType;
import cn.onenet.identity.model.OutboxMessage;
import cn.onenet.identity.service.AccountService;
import cn.onenet.identity.service.Totp;
import cn.onenet.identity.service.TotpFactor;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The holder is told of security changes to their account, and both sides of every step of a delegation. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class SecurityNoticesTest {

    @Inject
    TestClients clients;

    @Inject
    AccountService accounts;

    @Inject
    TotpFactor totp;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    @Test
    void theHolderIsToldOfFactorUnlockLevelAndDisabling() {
        String phone = phone();
        Account citizen = citizen("通知测试人", phone);
        String admin = OidcFlow.accessToken("test-web", "dsj.admin");

        String secret = totp.enrol(citizen.id, "test").secret();
        totp.confirm(citizen.id, Totp.code(secret, Totp.currentStep() - 1), "test");
        assertEquals(1, told(phone, "TOTP_CHANGED", "已开通动态口令"));
        given().auth().oauth2(admin).delete("/api/identity/v1/accounts/" + citizen.id + "/totp").then()
                .statusCode(204);
        assertEquals(1, told(phone, "TOTP_CHANGED", "管理员已重置"));

        given().auth().oauth2(admin).delete("/api/identity/v1/accounts/" + citizen.id + "/login-lock").then()
                .statusCode(204);
        assertEquals(1, told(phone, "LOGIN_UNLOCKED", "解除"));

        given().auth().oauth2(admin).contentType("application/json").body(Map.of("level", 3, "method",
                "population-register", "evidence", "通知测试人")).post("/api/identity/v1/accounts/" + citizen.id
                        + "/level").then().statusCode(200);
        assertEquals(1, told(phone, "LEVEL_CHANGED", "L3"));

        accounts.setStatus(citizen.id, false, "test");
        assertEquals(1, told(phone, "ACCOUNT_DISABLED", "停用"));
        // every notice is in both languages and says what to do
        for (OutboxMessage m : OutboxMessage.<OutboxMessage>list("recipient", phone)) {
            assertTrue(m.body.contains("服务窗口") && m.body.contains("service counter"), m.body);
        }
    }

    @Test
    void bothSidesAreToldOfEveryStepOfADelegation() {
        String repPhone = phone();
        String enterprisePhone = phone();
        String agentPhone = phone();
        Account rep = citizen("授权法代", repPhone);
        Account agent = citizen("授权经办", agentPhone);
        // authority over delegations needs L3
        QuarkusTransaction.requiringNew().run(() -> Account.update("level = 3 where id in (?1, ?2)", rep.id, agent.id));
        long n = System.nanoTime();
        String first17 = "91330106MA4N" + String.format("%05d", n % 100_000);
        String uscc = first17 + CreditCode.checkCharacter(first17);
        QuarkusTransaction.requiringNew().run(() -> accounts.create(new AccountService.NewAccount(
                AccountType.LEGAL_PERSON, null, "通知测试有限公司", null, uscc, null, rep.id, null, OidcFlow.PASSWORD, null,
                enterprisePhone), "test"));
        String repToken = OidcFlow.accessToken("test-web", rep.username);
        String id = given().auth().oauth2(repToken).contentType("application/json").body(Map.of("enterpriseUscc",
                uscc, "agentIdNumber", agent.username, "agentName", "授权经办", "validTo",
                OffsetDateTime.now().plusDays(30).toString())).post("/api/identity/v1/delegations").then()
                .statusCode(201).extract().path("id");
        assertEquals(1, told(agentPhone, "DELEGATION_INVITED", "通知测试有限公司"));
        assertEquals(1, told(enterprisePhone, "DELEGATION_CHANGED", "新建"));
        assertEquals(1, told(repPhone, "DELEGATION_CHANGED", "新建"));

        given().auth().oauth2(OidcFlow.accessToken("test-web", agent.username))
                .post("/api/identity/v1/delegations/" + id + "/accept").then().statusCode(200);
        for (String p : List.of(agentPhone, enterprisePhone, repPhone)) {
            assertEquals(1, told(p, "DELEGATION_CHANGED", "已被经办人接受"), p);
        }
        given().auth().oauth2(repToken).post("/api/identity/v1/delegations/" + id + "/revoke").then()
                .statusCode(200);
        for (String p : List.of(agentPhone, enterprisePhone, repPhone)) {
            assertEquals(1, told(p, "DELEGATION_CHANGED", "已撤销"), p);
        }
    }

    private static long told(String phone, String kind, String text) {
        return OutboxMessage.<OutboxMessage>list("recipient = ?1 and kind = ?2", phone, kind).stream()
                .filter(m -> m.body.contains(text)).count();
    }

    /** A new citizen (see {@link TotpLifecycleTest#newCitizen}) with a phone on record. */
    private Account citizen(String name, String phone) {
        Account account = QuarkusTransaction.requiringNew().call(() -> TotpLifecycleTest.newCitizen(accounts, name));
        QuarkusTransaction.requiringNew().run(() -> Account.update("phone = ?1 where id = ?2", phone, account.id));
        return account;
    }

    private static String phone() {
        return "136" + String.format("%08d", ThreadLocalRandom.current().nextInt(100_000_000));
    }
}
