package cn.onenet.identity.recovery;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.AccountType;
import cn.onenet.identity.model.OutboxMessage;
import cn.onenet.identity.oidc.OidcFlow;
import cn.onenet.identity.service.AccountService;
import cn.onenet.identity.service.PasswordHasher;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Self-registration does not reveal a registered 公民身份号码; accounts are created by the confirmation token. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class RegistrationTest {

    @Inject
    AccountService accounts;
    @Inject
    PasswordHasher hasher;

    static Response register(String idNumber, String phone, String email, String ip) {
        Map<String, String> body = new HashMap<>(Map.of("idNumber", idNumber, "name", "注册测试",
                "password", "Good-pass-2026"));
        if (phone != null) {
            body.put("phone", phone);
        }
        if (email != null) {
            body.put("email", email);
        }
        return given().header("X-Forwarded-For", ip).contentType("application/json").body(body)
                .post("/api/identity/v1/registrations");
    }

    static Response confirm(String token) {
        return given().contentType("application/json").body(Map.of("token", token))
                .post("/api/identity/v1/registrations/confirm");
    }

    @Test
    void aRegisteredIdNumberGetsTheSameAnswerAndItsHolderIsNotified() {
        String ownerPhone = Outbox.newPhone();
        Account existing = accounts.create(new AccountService.NewAccount(AccountType.NATURAL_PERSON, null, "已注册",
                Outbox.newIdNumber(), null, null, null, null, OidcFlow.PASSWORD, null, ownerPhone), "test");
        String attackerPhone = Outbox.newPhone();
        String freshPhone = Outbox.newPhone();
        String freshId = Outbox.newIdNumber();

        Response duplicate = register(existing.username, attackerPhone, null, RecoveryTest.ip());
        Response fresh = register(freshId, freshPhone, null, RecoveryTest.ip());
        assertEquals(202, duplicate.statusCode());
        assertEquals(fresh.statusCode(), duplicate.statusCode());
        assertEquals(fresh.contentType(), duplicate.contentType());
        assertArrayEquals(fresh.asByteArray(), duplicate.asByteArray());

        // the holder of the registered number is told; the one who tried learns nothing and gets no token
        List<OutboxMessage> notice = Outbox.to(ownerPhone, "REGISTRATION_ATTEMPT");
        assertEquals(1, notice.size());
        assertEquals(existing.id, notice.get(0).accountId);
        assertTrue(Outbox.to(attackerPhone).isEmpty());
        Account unchanged = RecoveryTest.fresh(existing);
        assertTrue(hasher.verify(OidcFlow.PASSWORD, unchanged.passwordHash));

        // the fresh registration is completed by its confirmation token, once
        assertNull(Account.byUsername(freshId));
        String token = Outbox.token(Outbox.to(freshPhone, "REGISTRATION_CONFIRM").get(0));
        confirm(token).then().statusCode(201).body("level", equalTo(2)).body("type", equalTo("natural_person"));
        Account created = Account.byUsername(freshId);
        assertEquals(freshPhone, created.phone);
        // the token went only to that phone: confirming it shows the phone reaches the registrant
        assertNotNull(created.phoneVerifiedAt);
        assertNull(created.emailVerifiedAt);
        assertTrue(hasher.verify("Good-pass-2026", created.passwordHash));
        confirm(token).then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("token"));
    }

    @Test
    void withBothContactsGivenNeitherIsVerifiedByTheConfirmation() {
        String phone = Outbox.newPhone();
        String email = "both-" + phone + "@example.cn";
        String idNumber = Outbox.newIdNumber();
        assertEquals(202, register(idNumber, phone, email, RecoveryTest.ip()).statusCode());
        // the same token goes to both: it does not show which one the registrant holds
        String token = Outbox.token(Outbox.to(phone, "REGISTRATION_CONFIRM").get(0));
        confirm(token).then().statusCode(201);
        Account created = Account.byUsername(idNumber);
        assertEquals(email, created.email);
        assertNull(created.phoneVerifiedAt);
        assertNull(created.emailVerifiedAt);
    }

    @Test
    void theHolderIsToldOfAttemptsAtMostOnceADay() {
        String ownerPhone = Outbox.newPhone();
        Account existing = accounts.create(new AccountService.NewAccount(AccountType.NATURAL_PERSON, null, "被打扰者",
                Outbox.newIdNumber(), null, null, null, null, OidcFlow.PASSWORD, null, ownerPhone), "test");
        // three attempts (the most one identifier takes in a window), each answered the same way
        for (int i = 0; i < 3; i++) {
            assertEquals(202, register(existing.username, Outbox.newPhone(), null, RecoveryTest.ip()).statusCode());
        }
        assertEquals(1, Outbox.to(ownerPhone, "REGISTRATION_ATTEMPT").size());
    }

    @Test
    void confirmationTokensAreCheckedAndInputValidated() {
        confirm("no-such-token").then().statusCode(400).body("errors.field", hasItem("token"));
        confirm("").then().statusCode(400);
        // a contact is needed to receive the token; bad contacts and check digits are refused
        register(Outbox.newIdNumber(), null, null, RecoveryTest.ip()).then().statusCode(400)
                .body("errors.field", hasItem("phone"));
        register(Outbox.newIdNumber(), "not-a-phone", null, RecoveryTest.ip()).then().statusCode(400)
                .body("errors.field", hasItem("phone"));
        register(Outbox.newIdNumber(), null, "no-at-sign", RecoveryTest.ip()).then().statusCode(400)
                .body("errors.field", hasItem("email"));
        String id = Outbox.newIdNumber();
        String wrongCheck = id.substring(0, 17) + (id.charAt(17) == '0' ? '1' : '0');
        register(wrongCheck, Outbox.newPhone(), null, RecoveryTest.ip()).then().statusCode(400)
                .body("errors.field", hasItem("idNumber"));
        // two pending registrations of one number: the first confirmed wins, the second is refused
        String a = Outbox.newPhone();
        String b = Outbox.newPhone();
        register(id, a, null, RecoveryTest.ip()).then().statusCode(202);
        register(id, b, null, RecoveryTest.ip()).then().statusCode(202);
        confirm(Outbox.token(Outbox.to(a, "REGISTRATION_CONFIRM").get(0))).then().statusCode(201);
        confirm(Outbox.token(Outbox.to(b, "REGISTRATION_CONFIRM").get(0))).then().statusCode(400)
                .body("errors.field", hasItem("token"));
        assertEquals(1, Outbox.to(a, "REGISTRATION_ATTEMPT").size());
        // per ID number: three registrations in the window, then 429
        register(id, Outbox.newPhone(), null, RecoveryTest.ip()).then().statusCode(202);
        register(id, Outbox.newPhone(), null, RecoveryTest.ip()).then().statusCode(429)
                .body("type", equalTo("urn:onenet:problem:rate-limited"));
    }
}
