package cn.onenet.identity.recovery;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.AccountType;
import cn.onenet.identity.model.OutboxMessage;
import cn.onenet.identity.oidc.OidcFlow;
import cn.onenet.identity.oidc.TestClients;
import cn.onenet.identity.service.AccountService;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** "注册 / Register" from the login page: zh-CN and English, CSRF-protected, not frameable, no oracle, a link to confirm. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class RegistrationPageTest {

    static final String COOKIE = "onenet_register_csrf";
    private static final String PASSWORD = "Qt#2026-register";

    @Inject
    TestClients clients;
    @Inject
    AccountService accounts;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    @Test
    void theLoginPageLinksToRegistrationAndThePageIsNotFrameableInBothLanguages() {
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        String zh = flow.authorize(flow.params("openid")).asString();
        assertTrue(zh.contains("href=\"register\"") && zh.contains("注册"), zh);
        var params = flow.params("openid");
        params.put("ui_locales", "en");
        String en = flow.authorize(params).asString();
        assertTrue(en.contains("href=\"register?lang=en\"") && en.contains("Register"), en);

        Response page = given().get("/oidc/register");
        assertEquals(200, page.statusCode());
        assertEquals("DENY", page.header("X-Frame-Options"));
        assertTrue(page.header("Content-Security-Policy").contains("frame-ancestors 'none'"));
        assertEquals("same-origin", page.header("Referrer-Policy"));
        assertEquals("no-store", page.header("Cache-Control"));
        assertTrue(page.asString().contains("lang=\"zh-CN\"") && page.asString().contains("公民身份号码"));
        assertEquals(OidcFlow.hidden(page.asString(), "csrf"), page.getCookie(COOKIE));
        assertTrue(page.getDetailedCookie(COOKIE).isHttpOnly());
        String english = given().queryParam("lang", "en").get("/oidc/register").asString();
        assertTrue(english.contains("lang=\"en\"") && english.contains("Register as a citizen"));
        Response confirm = given().get("/oidc/register/confirm");
        assertEquals(200, confirm.statusCode());
        assertEquals("DENY", confirm.header("X-Frame-Options"));
        assertNotNull(confirm.getCookie(COOKIE));
    }

    @Test
    void aCitizenRegistersAndConfirmsThroughThePagesWithTheLinkFromTheMessage() {
        String idNumber = Outbox.newIdNumber();
        String phone = Outbox.newPhone();
        Response form = given().get("/oidc/register");
        String cookie = form.getCookie(COOKIE);

        // a forged post (no cookie, or a wrong token) is refused and sends nothing
        assertEquals(400, given().contentType("application/x-www-form-urlencoded").formParam("csrf", cookie)
                .formParam("idNumber", idNumber).formParam("name", "页面注册").formParam("password", PASSWORD)
                .formParam("password2", PASSWORD).formParam("phone", phone).post("/oidc/register").statusCode());
        assertEquals(400, submit(cookie, "forged", idNumber, PASSWORD, PASSWORD, phone).statusCode());
        // mistakes are answered beside the form, which keeps what was typed (never the password)
        Response differ = submit(cookie, cookie, idNumber, PASSWORD, PASSWORD + "!", phone);
        assertEquals(400, differ.statusCode());
        assertTrue(differ.asString().contains("两次输入的密码不一致"));
        assertTrue(differ.asString().contains("value=\"" + idNumber + "\"") && !differ.asString().contains(PASSWORD));
        Response badId = submit(cookie, cookie, idNumber.substring(0, 17) + (idNumber.endsWith("0") ? "1" : "0"),
                PASSWORD, PASSWORD, phone);
        assertEquals(400, badId.statusCode());
        assertTrue(badId.asString().contains("data-field=\"idNumber\""), badId.asString());
        QuarkusTransaction.requiringNew().run(() -> assertTrue(Outbox.to(phone).isEmpty()));

        Response sent = submit(cookie, cookie, idNumber, PASSWORD, PASSWORD, phone);
        assertEquals(200, sent.statusCode(), sent.asString());
        assertTrue(sent.asString().contains("id=\"register-sent\""));
        // a registered ID number gets the very same page
        Account registered = accounts.create(new AccountService.NewAccount(AccountType.NATURAL_PERSON, null, "已注册",
                Outbox.newIdNumber(), null, null, null, null, OidcFlow.PASSWORD, null, Outbox.newPhone()), "self");
        Response again = submit(cookie, cookie, registered.username, PASSWORD, PASSWORD, Outbox.newPhone());
        assertEquals(200, again.statusCode());
        assertArrayEquals(sent.asByteArray(), again.asByteArray());

        // the message links to the confirmation page, which opens with the token filled in
        List<OutboxMessage> messages = QuarkusTransaction.requiringNew().call(() -> Outbox.to(phone,
                "REGISTRATION_CONFIRM"));
        assertEquals(1, messages.size());
        Matcher link = Pattern.compile("(https?://[^ ]+/oidc/register/confirm\\?token=([A-Za-z0-9_-]{43}))")
                .matcher(messages.get(0).body);
        assertTrue(link.find(), messages.get(0).body);
        String token = link.group(2);
        assertEquals(Outbox.token(messages.get(0)), token);
        Response confirmForm = given().queryParam("token", token).get("/oidc/register/confirm");
        assertEquals(token, OidcFlow.hidden(confirmForm.asString(), "token"));
        String confirmCookie = confirmForm.getCookie(COOKIE);
        assertNull(QuarkusTransaction.requiringNew().call(() -> Account.byUsername(idNumber)));
        Response done = confirm(confirmCookie, token);
        assertEquals(200, done.statusCode(), done.asString());
        assertTrue(done.asString().contains("id=\"register-done\""));
        assertNotNull(QuarkusTransaction.requiringNew().call(() -> Account.byUsername(idNumber)));
        Response reused = confirm(confirmCookie, token);
        assertEquals(400, reused.statusCode());
        assertTrue(reused.asString().contains("确认码无效"));
        assertFalse(reused.asString().contains("register-done"));
        assertTrue(OidcFlow.signsIn(idNumber, PASSWORD));
    }

    private static Response submit(String cookie, String csrf, String idNumber, String password, String repeated,
            String phone) {
        return given().header("X-Forwarded-For", RecoveryTest.ip()).contentType("application/x-www-form-urlencoded")
                .cookie(COOKIE, cookie).formParam("csrf", csrf).formParam("idNumber", idNumber)
                .formParam("name", "页面注册").formParam("password", password).formParam("password2", repeated)
                .formParam("phone", phone).post("/oidc/register");
    }

    private static Response confirm(String cookie, String token) {
        return given().header("X-Forwarded-For", RecoveryTest.ip()).contentType("application/x-www-form-urlencoded")
                .cookie(COOKIE, cookie).formParam("csrf", cookie).formParam("token", token)
                .post("/oidc/register/confirm");
    }
}
