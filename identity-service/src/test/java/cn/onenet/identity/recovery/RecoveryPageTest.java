package cn.onenet.identity.recovery;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.AccountType;
import cn.onenet.identity.oidc.OidcFlow;
import cn.onenet.identity.oidc.TestClients;
import cn.onenet.identity.service.AccountService;
import cn.onenet.identity.service.RecoveryService;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** "忘记密码 / Forgot password" from the login page: zh-CN and English, CSRF-protected, not frameable, no oracle. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class RecoveryPageTest {

    static final String COOKIE = "onenet_recover_csrf";

    @Inject
    TestClients clients;
    @Inject
    AccountService accounts;
    @Inject
    RecoveryService recovery;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    @Test
    void theLoginPageLinksToForgotPasswordInBothLanguages() {
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        String zh = flow.authorize(flow.params("openid")).asString();
        assertTrue(zh.contains("href=\"recover\"") && zh.contains("忘记密码"), zh);
        var params = flow.params("openid");
        params.put("ui_locales", "en");
        String en = flow.authorize(params).asString();
        assertTrue(en.contains("href=\"recover?lang=en\"") && en.contains("Forgot password"), en);

        Response page = given().get("/oidc/recover");
        assertEquals(200, page.statusCode());
        assertEquals("DENY", page.header("X-Frame-Options"));
        assertTrue(page.header("Content-Security-Policy").contains("frame-ancestors 'none'"));
        assertTrue(page.asString().contains("lang=\"zh-CN\"") && page.asString().contains("公民身份号码"));
        String english = given().queryParam("lang", "en").get("/oidc/recover").asString();
        assertTrue(english.contains("lang=\"en\"") && english.contains("Send reset token"));
    }

    @Test
    void forgotPasswordThroughThePagesCsrfProtectedAndTheSameForUnknownAccounts() {
        String phone = Outbox.newPhone();
        Account account = accounts.create(new AccountService.NewAccount(AccountType.NATURAL_PERSON, null, "页面找回",
                Outbox.newIdNumber(), null, null, null, null, OidcFlow.PASSWORD, null, phone), "test");
        Response form = given().get("/oidc/recover");
        String csrf = OidcFlow.hidden(form.asString(), "csrf");
        String cookie = form.getCookie(COOKIE);
        assertEquals(csrf, cookie);

        // a forged post (no cookie, or a wrong token) is refused and queues nothing
        given().contentType("application/x-www-form-urlencoded").formParam("csrf", csrf)
                .formParam("identifier", account.username).post("/oidc/recover").then().statusCode(400);
        given().contentType("application/x-www-form-urlencoded").cookie(COOKIE, cookie).formParam("csrf", "forged")
                .formParam("identifier", account.username).post("/oidc/recover").then().statusCode(400);
        Outbox.workOff(recovery);
        assertTrue(Outbox.to(phone).isEmpty());

        Response known = submit(cookie, account.username);
        Response unknown = submit(cookie, Outbox.newIdNumber());
        assertEquals(200, known.statusCode());
        assertEquals(known.statusCode(), unknown.statusCode());
        assertArrayEquals(known.asByteArray(), unknown.asByteArray());
        assertTrue(known.asString().contains("id=\"recover-sent\""));
        Outbox.workOff(recovery);
        String token = Outbox.token(Outbox.to(phone, "PASSWORD_RESET").get(0));

        // the link in the message opens the new-password form with the token filled in
        Response resetForm = given().queryParam("token", token).get("/oidc/recover/reset");
        assertEquals(token, OidcFlow.hidden(resetForm.asString(), "token"));
        String resetCsrf = resetForm.getCookie(COOKIE);
        Response differ = reset(resetCsrf, token, RecoveryTest.NEW_PASSWORD, RecoveryTest.NEW_PASSWORD + "!");
        assertEquals(400, differ.statusCode());
        assertTrue(differ.asString().contains("两次输入的密码不一致"));
        Response weak = reset(resetCsrf, token, "short", "short");
        assertEquals(400, weak.statusCode());
        assertTrue(weak.asString().contains("密码至少10位"), weak.asString());
        assertEquals(400, given().contentType("application/x-www-form-urlencoded").formParam("csrf", resetCsrf)
                .formParam("token", token).formParam("password", RecoveryTest.NEW_PASSWORD)
                .formParam("password2", RecoveryTest.NEW_PASSWORD).post("/oidc/recover/reset").statusCode());
        Response done = reset(resetCsrf, token, RecoveryTest.NEW_PASSWORD, RecoveryTest.NEW_PASSWORD);
        assertEquals(200, done.statusCode(), done.asString());
        assertTrue(done.asString().contains("id=\"recover-done\""));
        Response reused = reset(resetCsrf, token, RecoveryTest.NEW_PASSWORD, RecoveryTest.NEW_PASSWORD);
        assertEquals(400, reused.statusCode());
        assertTrue(reused.asString().contains("重置码无效"));

        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        flow.authorize(flow.params("openid"));
        assertTrue(OidcFlow.redirect(flow.submitLogin(account.username, RecoveryTest.NEW_PASSWORD, null, null))
                .indicatesSuccess());
    }

    private static Response submit(String cookie, String identifier) {
        return given().header("X-Forwarded-For", RecoveryTest.ip()).contentType("application/x-www-form-urlencoded")
                .cookie(COOKIE, cookie).formParam("csrf", cookie).formParam("identifier", identifier)
                .post("/oidc/recover");
    }

    private static Response reset(String cookie, String token, String password, String repeated) {
        return given().header("X-Forwarded-For", RecoveryTest.ip()).contentType("application/x-www-form-urlencoded")
                .cookie(COOKIE, cookie).formParam("csrf", cookie).formParam("token", token)
                .formParam("password", password).formParam("password2", repeated).post("/oidc/recover/reset");
    }
}
