package cn.onenet.identity.recovery;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.AccountType;
import cn.onenet.identity.model.OutboxMessage;
import cn.onenet.identity.oidc.OidcFlow;
import cn.onenet.identity.oidc.TestClients;
import cn.onenet.identity.service.AccountClosureService;
import cn.onenet.identity.service.AccountService;
import cn.onenet.identity.service.ContactService;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The pages the notices of a contact change and of an account closure link to: they say what the token would cancel,
 * cancel only from their CSRF-protected form, answer a wrong token with a 400 page counted per address like the API,
 * and send no Referer.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class CancelPageTest {

    static final String COOKIE = "onenet_cancel_csrf";
    private static final String CONTACT_PAGE = "/oidc/contact-change/cancel";
    private static final String CLOSURE_PAGE = "/oidc/account-closure/cancel";

    @Inject
    TestClients clients;
    @Inject
    AccountService accounts;
    @Inject
    ContactService contacts;
    @Inject
    AccountClosureService closures;
    @Inject
    EntityManager em;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    /** An address no other test uses, so its wrong tokens are counted from zero. */
    private static String freshIp() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "10.93." + r.nextInt(250) + "." + (1 + r.nextInt(250));
    }

    private Account citizen(String phone, String email) {
        return accounts.create(new AccountService.NewAccount(AccountType.NATURAL_PERSON, null, "撤销页面测试",
                Outbox.newIdNumber(), null, null, null, null, OidcFlow.PASSWORD, email, phone), "test");
    }

    private static OutboxMessage only(String recipient, String kind) {
        List<OutboxMessage> sent = QuarkusTransaction.requiringNew().call(() -> Outbox.to(recipient, kind));
        assertEquals(1, sent.size(), kind + " messages sent to " + recipient);
        return sent.get(0);
    }

    /** The link in the notice; its token is the cancel token the notice also spells out. */
    private static String link(OutboxMessage notice, String page) {
        Matcher link = Pattern.compile("(https?://[^ ]+)(" + Pattern.quote(page) + ")\\?token=([A-Za-z0-9_-]{43})")
                .matcher(notice.body);
        assertTrue(link.find(), notice.body);
        Matcher spelled = Pattern.compile("撤销码：([A-Za-z0-9_-]{43})").matcher(notice.body);
        assertTrue(spelled.find(), notice.body);
        assertEquals(spelled.group(1), link.group(3));
        assertTrue(notice.body.contains("page " + link.group(0)), "the English half links too: " + notice.body);
        return link.group(3);
    }

    private static Response open(String page, String token, String ip) {
        return given().header("X-Forwarded-For", ip).queryParam("token", token).get(page);
    }

    private static Response submit(String page, String cookie, String csrf, String token, String ip) {
        var request = given().header("X-Forwarded-For", ip).contentType("application/x-www-form-urlencoded")
                .formParam("csrf", csrf).formParam("token", token);
        if (cookie != null) {
            request.cookie(COOKIE, cookie);
        }
        return request.post(page);
    }

    private static void assertPageHeaders(Response page) {
        assertTrue(page.contentType().startsWith("text/html"), page.contentType());
        assertEquals("no-referrer", page.header("Referrer-Policy"));
        assertEquals(1, page.headers().getValues("Referrer-Policy").size());
        assertEquals("DENY", page.header("X-Frame-Options"));
        assertEquals("no-store", page.header("Cache-Control"));
        assertTrue(page.header("Content-Security-Policy").startsWith("default-src 'none'"));
        assertFalse(page.asString().contains("<script"), page.asString());
    }

    private String column(String table, String column, UUID accountId) {
        return QuarkusTransaction.requiringNew().call(() -> (String) em.createNativeQuery("SELECT " + column
                + " FROM " + table + " WHERE account_id = ?1 ORDER BY 1 LIMIT 1").setParameter(1, accountId)
                .getSingleResult());
    }

    @Test
    void theOldContactOpensTheLinkFromTheNoticeAndCancelsTheChangeWithTheButton() {
        String oldEmail = "page-old-" + System.nanoTime() + "@example.cn";
        String newPhone = Outbox.newPhone();
        Account citizen = citizen(null, oldEmail);
        String access = OidcFlow.accessToken("test-web", citizen.username);
        given().auth().oauth2(access).contentType("application/json")
                .body(Map.of("currentPassword", OidcFlow.PASSWORD, "phone", newPhone)).put("/api/identity/v1/me/contact")
                .then().statusCode(202);
        Matcher code = Pattern.compile("验证码：([0-9]{6})").matcher(only(newPhone, "CONTACT_CHANGE_CODE").body);
        assertTrue(code.find());
        given().auth().oauth2(access).contentType("application/json").body(Map.of("code", code.group(1)))
                .post("/api/identity/v1/me/contact/confirm").then().statusCode(200);
        String token = link(only(oldEmail, "CONTACT_CHANGE_NOTICE"), CONTACT_PAGE);
        String ip = freshIp();

        // opening the page shows what would be cancelled and cancels nothing
        Response page = open(CONTACT_PAGE, token, ip);
        assertEquals(200, page.statusCode(), page.asString());
        assertPageHeaders(page);
        String html = page.asString();
        assertTrue(html.contains("手机号更换为 " + newPhone.substring(0, 3) + "****" + newPhone.substring(7)), html);
        assertTrue(html.contains("phone number to ") && html.contains("id=\"submit\""), html);
        assertFalse(html.contains(newPhone), "the new number is masked");
        assertEquals(token, OidcFlow.hidden(html, "token"));
        String cookie = page.getCookie(COOKIE);
        assertNotNull(cookie);
        assertEquals(cookie, OidcFlow.hidden(html, "csrf"));
        assertTrue(page.getDetailedCookie(COOKIE).isHttpOnly());
        assertEquals(1L, QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery("SELECT count(*) "
                + "FROM contact_change WHERE account_id = ?1 AND ended_at IS NULL").setParameter(1, citizen.id)
                .getSingleResult()).longValue()));

        // a forged post (no cookie, or another value than the cookie's) cancels nothing
        assertEquals(400, submit(CONTACT_PAGE, null, cookie, token, ip).statusCode());
        assertEquals(400, submit(CONTACT_PAGE, cookie, "forged", token, ip).statusCode());

        Response done = submit(CONTACT_PAGE, cookie, cookie, token, ip);
        assertEquals(200, done.statusCode(), done.asString());
        assertPageHeaders(done);
        assertTrue(done.asString().contains("id=\"cancel-done\"") && done.asString().contains("保留现有联系方式"));
        assertEquals("CANCELLED", column("contact_change", "outcome", citizen.id));
        // the cooling-off passing changes nothing: the account keeps its contacts
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("UPDATE contact_change SET effective_at = "
                + "now() - interval '1 minute' WHERE account_id = ?1").setParameter(1, citizen.id).executeUpdate());
        contacts.applyDue();
        Object[] row = QuarkusTransaction.requiringNew().call(() -> (Object[]) em.createNativeQuery("SELECT email, "
                + "phone FROM account WHERE id = ?1").setParameter(1, citizen.id).getSingleResult());
        assertEquals(oldEmail, row[0]);
        assertEquals(null, row[1]);

        // the token works once: the page and the form then say so
        Response spent = submit(CONTACT_PAGE, cookie, cookie, token, ip);
        assertEquals(400, spent.statusCode());
        assertTrue(spent.asString().contains("id=\"cancel-error\"") && spent.asString().contains("撤销码无效"));
        assertEquals(400, open(CONTACT_PAGE, token, ip).statusCode());
    }

    @Test
    void theContactOpensTheLinkFromTheClosureNoticeAndTheAccountStaysOpen() {
        String phone = Outbox.newPhone();
        Account citizen = citizen(phone, null);
        given().auth().oauth2(OidcFlow.accessToken("test-web", citizen.username)).contentType("application/json")
                .body(Map.of("password", OidcFlow.PASSWORD)).delete("/api/identity/v1/me").then().statusCode(202);
        String token = link(only(phone, "CLOSURE_REQUESTED"), CLOSURE_PAGE);
        String ip = freshIp();

        Response page = open(CLOSURE_PAGE, token, ip);
        assertEquals(200, page.statusCode(), page.asString());
        assertPageHeaders(page);
        assertTrue(page.asString().contains("申请注销") && page.asString().contains("is to be closed on"),
                page.asString());
        assertEquals(token, OidcFlow.hidden(page.asString(), "token"));
        String cookie = page.getCookie(COOKIE);

        Response done = submit(CLOSURE_PAGE, cookie, cookie, token, ip);
        assertEquals(200, done.statusCode(), done.asString());
        assertTrue(done.asString().contains("id=\"cancel-done\"") && done.asString().contains("账户继续有效"));
        assertEquals("CANCELLED_BY_TOKEN", column("account_closure", "outcome", citizen.id));
        assertEquals(1, QuarkusTransaction.requiringNew().call(() -> Outbox.to(phone, "CLOSURE_CANCELLED")).size());
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("UPDATE account_closure SET effective_at = "
                + "now() - interval '1 minute' WHERE account_id = ?1").setParameter(1, citizen.id).executeUpdate());
        closures.closeDue();
        assertTrue(OidcFlow.signsIn(citizen.username, OidcFlow.PASSWORD));
    }

    @Test
    void aWrongTokenIsA400PageAndTheAddressIsThrottledAsAtTheApi() {
        String ip = freshIp();
        String wrong = "not-a-real-token-" + System.nanoTime();
        Response page = open(CLOSURE_PAGE, wrong, ip);
        assertEquals(400, page.statusCode());
        assertPageHeaders(page);
        assertTrue(page.asString().contains("id=\"cancel-error\"") && page.asString().contains("撤销码无效")
                && page.asString().contains("the cancel token is invalid"), page.asString());
        assertFalse(page.asString().contains(wrong), "the token is not echoed");
        assertEquals(400, given().header("X-Forwarded-For", ip).get(CLOSURE_PAGE).statusCode());
        // the page and the API count together: 10 wrong tokens from the address by default
        for (int i = 0; i < 7; i++) {
            assertEquals(400, open(CLOSURE_PAGE, wrong + i, ip).statusCode());
        }
        given().header("X-Forwarded-For", ip).contentType("application/json").body(Map.of("token", wrong))
                .post("/api/identity/v1/account-closures/cancel").then().statusCode(400);
        Response limited = open(CLOSURE_PAGE, wrong, ip);
        assertEquals(429, limited.statusCode(), limited.asString());
        assertPageHeaders(limited);
        assertNotNull(limited.header("Retry-After"));
        assertTrue(limited.asString().contains("请求过于频繁"), limited.asString());
        given().header("X-Forwarded-For", ip).contentType("application/json").body(Map.of("token", wrong))
                .post("/api/identity/v1/account-closures/cancel").then().statusCode(429);
        // the contact-change page counts on its own, as its API does
        assertEquals(400, open(CONTACT_PAGE, wrong, ip).statusCode());
    }
}
