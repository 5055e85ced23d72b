package cn.onenet.systemtests;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static cn.onenet.systemtests.ConsolePages.answer;
import static cn.onenet.systemtests.ConsolePages.awaitOn;
import static cn.onenet.systemtests.ConsolePages.chromium;
import static cn.onenet.systemtests.ConsolePages.click;
import static cn.onenet.systemtests.ConsolePages.confirmed;
import static cn.onenet.systemtests.ConsolePages.logIn;
import static cn.onenet.systemtests.ConsolePages.submit;
import static cn.onenet.systemtests.ConsolePages.DEMO_PASSWORD;
import static cn.onenet.systemtests.Totp.totp;

import java.net.URLEncoder;
import java.nio.file.Paths;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Route;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;

import cn.onenet.common.identifiers.CreditCode;
import cn.onenet.common.identifiers.ResidentIdNumber;

/**
 * "我的账户 / My account" in Chromium against the running suite: a person's details as identity-service gives them,
 * changing their password, their two-step verification, the consents they gave to applications and what each
 * application received (in words, not scope codes), the application each security event came from, and agent
 * authorisations between an enterprise and a citizen. The accounts are made for the test (other classes log in as
 * the demo users, whose second factor and authorisations stay as they are).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedSuite.class)
class SelfServiceConsoleTest {

    private static final String CALLBACK = "http://127.0.0.1:9/e2e-callback";
    /** How the console writes an instant to the second, in Beijing time. */
    private static final DateTimeFormatter BEIJING = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private String gateway;
    private String admin;

    @BeforeAll
    void start() throws Exception {
        gateway = SharedSuite.gateway();
        admin = new CodeFlowClient(gateway, "gateway", "demo-gateway-secret")
                .accessToken("dsj.admin", DEMO_PASSWORD, "openid profile");
    }

    @Test
    void aCitizenSeesTheirMaskedDetailsTurnsOnTwoStepVerificationAndTheNextLoginAsksForTheCode() throws Exception {
        String idNumber = newCitizen("测试市民甲").login();
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page page = openAccount(logIn(browser, idNumber));
            String details = page.textContent("#my-details");
            assertTrue(details.contains("测试市民甲") && details.contains("自然人"), details);
            assertTrue(details.contains(idNumber.substring(0, 6) + "********" + idNumber.substring(14)), details);
            assertFalse(page.textContent("main").contains(idNumber), "the full ID number is shown");
            assertTrue(page.textContent("#totp").contains("未开通") || details.contains("未开通"), details);
            // The sign-ins: this one marked, its network shown, never the full address; the phone/e-mail part.
            awaitOn(page, "#sessions .current-session");
            assertTrue(page.textContent("#sessions").contains("/24"), page.textContent("#sessions"));
            awaitOn(page, "#contact-form");

            // Turning it on issues a secret, shown once, that is not active until confirmed with a code from it.
            click(page, "#enrol-totp");
            String secret = page.textContent("#totp-secret").trim();
            assertTrue(secret.matches("[A-Z2-7]{16,}"), "secret: " + secret);
            String uri = page.textContent("#totp-uri");
            assertTrue(uri.startsWith("otpauth://totp/") && uri.contains("secret=" + secret) && !uri.contains(idNumber),
                    uri);
            assertTrue(page.textContent("#my-details").contains("未开通"), page.textContent("#my-details"));
            page.screenshot(new Page.ScreenshotOptions().setPath(Paths.get("target/console-totp.png")).setFullPage(true));

            // A wrong code is refused beside the field and two-step verification stays off: a login asks for no code.
            page.fill("#totp-confirm [name=code]", notACode(secret));
            submit(page, "#totp-confirm", "#totp-confirm [data-field=code].invalid", "error");
            assertTrue(page.textContent("#totp-confirm [data-field=code] .error").contains("动态口令"),
                    page.textContent("#totp-confirm"));
            assertTrue(page.textContent("#my-details").contains("未开通"), page.textContent("#my-details"));
            openAccount(logIn(browser, idNumber)).close();

            // The code the app shows confirms it: on.
            page.fill("#totp-confirm [name=code]", totp(secret, 0));
            submit(page, "#totp-confirm", "#totp-on", "ok");
            assertTrue(page.textContent("#my-details").contains("已开通"), page.textContent("#my-details"));
            // the holder is told that the change ended their other sign-ins, as identity-service did
            assertTrue(page.textContent("#notice").contains("其他浏览器或设备上的登录已退出"), page.textContent("#notice"));
            assertEquals(0, page.locator("#totp-secret").count(), "the secret is shown again");

            // Replacing the factor needs a current code from it: refused beside the field, then a new secret that is
            // pending until confirmed (the code used to confirm is spent, so the next step's code proves it).
            page.fill("#totp-replace [name=code]", notACode(secret));
            submit(page, "#totp-replace", "#totp-replace [data-field=code].invalid", "error");
            assertTrue(page.textContent("#totp-replace [data-field=code] .error").contains("动态口令"),
                    page.textContent("#totp-replace"));
            page.fill("#totp-replace [name=code]", totp(secret, 1));
            submit(page, "#totp-replace", "#totp-secret", "ok");
            String replaced = page.textContent("#totp-secret").trim();
            assertNotEquals(secret, replaced);
            page.fill("#totp-confirm [name=code]", notACode(replaced));
            submit(page, "#totp-confirm", "#totp-confirm [data-field=code].invalid", "error");
            page.fill("#totp-confirm [name=code]", totp(replaced, 0));
            submit(page, "#totp-confirm", "#totp-on", "ok");
            assertEquals(0, page.locator("#totp-secret").count(), "the secret is shown again");

            // The next login asks for a code of the new secret.
            Page again = browser.newContext().newPage();
            again.navigate(gateway + "/console");
            again.fill("#username", idNumber);
            again.fill("#password", DEMO_PASSWORD);
            again.click("#submit");
            awaitOn(again, "#login-error");
            assertTrue(again.textContent("#login-error").contains("动态口令"), again.textContent("#login-error"));
            again.fill("#username", idNumber);
            again.fill("#password", DEMO_PASSWORD);
            again.fill("#otp", totp(replaced, 1));
            again.click("#submit");
            awaitOn(again, "#nav li");
            openAccount(again);
            awaitOn(again, "#totp-on");
            assertEquals(0, again.locator("#totp-secret").count(), "the secret is shown again");
        }
    }

    @Test
    void aCitizenSeesWhenTheNewSecretExpiresAndTurnsTwoStepVerificationOffWithACurrentCode() throws Exception {
        String idNumber = newCitizen("测试市民丙").login();
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page page = openAccount(logIn(browser, idNumber));
            click(page, "#enrol-totp");
            String secret = page.textContent("#totp-secret").trim();

            // The secret waits for confirmation until the time the service gives, shown in Beijing time.
            OffsetDateTime expiresAt = OffsetDateTime.parse(page.getAttribute("#totp-expires time", "datetime"));
            Duration left = Duration.between(OffsetDateTime.now(), expiresAt);
            assertTrue(left.compareTo(Duration.ofMinutes(9)) > 0 && left.compareTo(Duration.ofMinutes(11)) < 0,
                    "expires at " + expiresAt);
            String shown = page.textContent("#totp-expires time");
            assertEquals(BEIJING.format(expiresAt.atZoneSameInstant(ZoneId.of("Asia/Shanghai"))), shown,
                    page.textContent("#totp-expires"));
            assertTrue(page.textContent("#totp-expires").contains("北京时间"), page.textContent("#totp-expires"));

            page.fill("#totp-confirm [name=code]", totp(secret, -1));
            submit(page, "#totp-confirm", "#totp-on", "ok");

            // Turning it off asks for a current code: a wrong one is refused beside the field and it stays on.
            page.fill("#totp-remove [name=code]", notACode(secret));
            submit(page, "#totp-remove", "#totp-remove [data-field=code].invalid", "error");
            assertTrue(page.textContent("#totp-remove [data-field=code] .error").contains("动态口令"),
                    page.textContent("#totp-remove"));
            assertEquals(1, page.locator("#totp-on").count(), page.textContent("#totp"));
            assertTrue(page.textContent("#my-details").contains("已开通"), page.textContent("#my-details"));

            page.fill("#totp-remove [name=code]", totp(secret, 0));
            submit(page, "#totp-remove", "#enrol-totp", "ok");
            assertTrue(page.textContent("#notice").contains("已关闭"), page.textContent("#notice"));
            assertTrue(page.textContent("#my-details").contains("未开通"), page.textContent("#my-details"));
            assertEquals(0, page.locator("#totp-on, #totp-remove").count(), page.textContent("#totp"));

            // Off: the next login asks for no code, and the account still says so.
            Page again = openAccount(logIn(browser, idNumber));
            awaitOn(again, "#enrol-totp");
            assertTrue(again.textContent("#my-details").contains("未开通"), again.textContent("#my-details"));
        }
    }

    @Test
    void aNewSecretWaitingForConfirmationIsOfferedAgainAfterAReloadAndConfirmedOrStartedAgainThere() throws Exception {
        String idNumber = newCitizen("测试市民丁").login();
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page page = openAccount(logIn(browser, idNumber));
            click(page, "#enrol-totp");
            String first = page.textContent("#totp-secret").trim();

            // After a reload the secret is not shown again, but the page says one waits, until when, and offers to
            // confirm it or to start again.
            page.reload();
            awaitOn(page, "#totp-pending");
            assertEquals(0, page.locator("#totp-secret, #totp-uri").count(), page.textContent("#totp"));
            assertFalse(page.content().contains(first), "the secret is shown again");
            assertWaitsUntilTheServiceSays(page);
            assertTrue(page.textContent("#my-details").contains("未开通"), page.textContent("#my-details"));
            assertTrue(page.textContent("#enrol-totp").contains("重新开始"), page.textContent("#totp"));

            // Starting again: another secret, shown once; the first one is discarded.
            click(page, "#enrol-totp");
            String second = page.textContent("#totp-secret").trim();
            assertNotEquals(first, second);
            page.reload();
            awaitOn(page, "#totp-pending");
            assertWaitsUntilTheServiceSays(page);

            // Confirmed from the reloaded page: a wrong code is refused beside the field, the app's code turns it on.
            page.fill("#totp-confirm [name=code]", notACode(second));
            submit(page, "#totp-confirm", "#totp-confirm [data-field=code].invalid", "error");
            page.fill("#totp-confirm [name=code]", totp(second, 0));
            submit(page, "#totp-confirm", "#totp-on", "ok");
            assertTrue(page.textContent("#my-details").contains("已开通"), page.textContent("#my-details"));
            assertEquals(0, page.locator("#totp-pending").count(), page.textContent("#totp"));

            // A replacement waits the same way: after a reload it is confirmed (or started again with a current code
            // of the active factor), and the active factor works until then.
            page.fill("#totp-replace [name=code]", totp(second, 1));
            submit(page, "#totp-replace", "#totp-secret", "ok");
            String replacement = page.textContent("#totp-secret").trim();
            page.reload();
            awaitOn(page, "#totp-pending");
            assertWaitsUntilTheServiceSays(page);
            assertTrue(page.textContent("#totp-replace h4").contains("重新开始"), page.textContent("#totp"));
            assertTrue(page.textContent("#totp-confirm button").contains("更换"), page.textContent("#totp-confirm"));
            page.fill("#totp-confirm [name=code]", totp(replacement, 0));
            submit(page, "#totp-confirm", "#totp-on", "ok");
            assertEquals(0, page.locator("#totp-pending").count(), page.textContent("#totp"));
            assertTrue(page.textContent("#totp-replace h4").contains("更换"), page.textContent("#totp"));
        }
    }

    /** The waiting secret's expiry as the page shows it: the service's expiresAt, in Beijing time, some minutes on. */
    private void assertWaitsUntilTheServiceSays(Page page) {
        String me = (String) page.evaluate("() => fetch('/api/identity/v1/me', { credentials: 'same-origin' })"
                + ".then((r) => r.text())");
        String datetime = page.getAttribute("#totp-pending #totp-expires time", "datetime");
        assertTrue(me.contains("\"pending\":true") && me.contains(datetime), me + " vs " + datetime);
        OffsetDateTime expiresAt = OffsetDateTime.parse(datetime);
        Duration left = Duration.between(OffsetDateTime.now(), expiresAt);
        assertTrue(left.compareTo(Duration.ZERO) > 0 && left.compareTo(Duration.ofMinutes(11)) < 0,
                "expires at " + expiresAt);
        assertEquals(BEIJING.format(expiresAt.atZoneSameInstant(ZoneId.of("Asia/Shanghai"))),
                page.textContent("#totp-pending #totp-expires time"), page.textContent("#totp-expires"));
        assertTrue(page.textContent("#totp-expires").contains("北京时间"), page.textContent("#totp-expires"));
    }

    @Test
    void aCitizenWithdrawsTheConsentGivenToADepartmentApplication() throws Exception {
        String idNumber = newCitizen("测试市民乙").login();
        String clientId = "e2e-consent-" + ThreadLocalRandom.current().nextInt(1_000_000);
        given().auth().oauth2(admin).contentType("application/json").body(Map.of("clientId", clientId,
                "name", "测试部门网上办事系统", "authMethod", "client_secret_basic",
                "grantTypes", List.of("authorization_code"), "redirectUris", List.of(CALLBACK),
                "scopes", List.of("openid", "profile"), "audiences", List.of(),
                "departmentCode", "11330000002481060E", "firstParty", false))
                .post(gateway + "/api/identity/v1/clients").then().statusCode(201);
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page page = openAccount(logIn(browser, idNumber));
            awaitOn(page, "#no-consents");

            // The application asks for the citizen's profile; the citizen allows it on identity-service's page.
            page.context().route(url -> url.startsWith(CALLBACK), route -> route.fulfill(new Route.FulfillOptions()
                    .setStatus(200).setContentType("text/plain").setBody("back at the application")));
            CodeVerifier verifier = new CodeVerifier();
            page.navigate(gateway + "/oidc/authorize?response_type=code&client_id=" + clientId + "&redirect_uri="
                    + URLEncoder.encode(CALLBACK, StandardCharsets.UTF_8) + "&scope=openid%20profile&state=s1"
                    + "&nonce=n1&code_challenge=" + CodeChallenge.compute(CodeChallengeMethod.S256, verifier)
                    .getValue() + "&code_challenge_method=S256");
            awaitOn(page, "#approve");
            page.click("#approve");
            page.waitForURL(url -> url.startsWith(CALLBACK));
            assertTrue(page.url().contains("code="), page.url());

            page.navigate(gateway + "/console#/account");
            String row = "#consents tr:has-text('" + clientId + "')";
            awaitOn(page, row);
            // what it may receive, in words
            assertTrue(page.textContent(row).contains("姓名") && !page.textContent(row).contains("profile"),
                    page.textContent(row));
            // whom the citizen allowed: the application's name and its department
            assertTrue(page.textContent(row + " .client-name").contains("测试部门网上办事系统"), page.textContent(row));
            assertTrue(page.textContent(row + " .client-department").contains("浙江省人力资源和社会保障厅"),
                    page.textContent(row));
            // withdrawing asks first; cancelled, nothing is sent and the consent stays
            page.click(row + " button[data-withdraw]");
            String question = row + " [role=alertdialog]";
            awaitOn(page, question);
            assertTrue(page.textContent(question).contains("确定撤回对「测试部门网上办事系统」的授权"),
                    page.textContent(question));
            assertEquals(1, page.locator(question + " button.confirm-no").count(), page.textContent(question));
            page.click(question + " button.confirm-no");
            assertEquals(0, page.locator(question).count(), page.textContent(row));
            page.reload();
            awaitOn(page, row + " button[data-withdraw]");
            confirmed(page, row + " button[data-withdraw]", "ok");
            awaitOn(page, "#no-consents");
            assertTrue(page.textContent("#notice").contains("测试部门网上办事系统"), page.textContent("#notice"));

            // Withdrawn, and the sign-in it was used in ended: the application is in no list of the page any more,
            // and its consent events still name it, by the name the service gives with each event.
            String token = new CodeFlowClient(gateway, "gateway", "demo-gateway-secret").accessToken(idNumber,
                    DEMO_PASSWORD, "openid profile");
            given().auth().oauth2(token).delete(gateway + "/api/identity/v1/me/sessions").then().statusCode(200);
            Page later = openAccount(logIn(browser, idNumber));
            String named = "#sessions .event-client[title='" + clientId + "']";
            awaitOn(later, named);
            List<String> shown = later.locator(named).allTextContents();
            assertTrue(shown.size() >= 2 && shown.stream().allMatch("测试部门网上办事系统"::equals), shown.toString());
            assertEquals(0, later.locator("#sessions .event-client:has(code)").count(), later.textContent("#sessions"));
        }
    }

    @Test
    void aCitizenReadsWhatEachApplicationReceivedAndWhichApplicationAnEventCameFromInWords() throws Exception {
        String idNumber = newCitizen("测试市民丁").login();
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page page = openAccount(logIn(browser, idNumber));
            // the console itself received the citizen's name and ID number at sign-in: said in words, codes as titles
            String row = "#government-apps tr:has-text('(gateway)')";
            awaitOn(page, row);
            String received = page.textContent(row + " td:nth-child(2)");
            assertTrue(received.contains("姓名") && received.contains("公民身份号码"), received);
            assertFalse(received.contains("id_number") || received.contains("openid") || received.contains("profile"),
                    received);
            assertEquals(1, page.locator(row + " li[title=id_number]").count(), page.innerHTML(row));

            // the sign-in in the security events: the application's name, not its client id
            String name = page.textContent(row + " .client-name").trim();
            assertNotEquals("gateway", name);
            awaitOn(page, "#sessions .event-client");
            List<String> clients = page.locator("#sessions .event-client").allTextContents();
            assertTrue(clients.contains(name) && !clients.contains("gateway"), clients.toString());

            // every scope identity-service offers has words; one it might add later shows its code, titled as such
            List<String> offered = given().get(gateway + "/oidc/.well-known/openid-configuration").then()
                    .statusCode(200).extract().path("scopes_supported");
            @SuppressWarnings("unchecked")
            Map<String, String> words = (Map<String, String>) page.evaluate(
                    "async () => (await import('/console/assets/ui.js')).SCOPE_WORDS");
            assertTrue(offered.contains("id_number") && offered.contains("phone"), offered.toString());
            for (String scope : offered) {
                String shown = words.get(scope);
                assertTrue(shown != null && !shown.startsWith(scope) && shown.contains(" / "), scope + "=" + shown);
            }
            Object unknown = page.evaluate("async () => { const li = (await import('/console/assets/ui.js'))"
                    + ".scopeWords('address').querySelector('li'); return [li.textContent, li.title]; }");
            assertEquals(List.of("address", "未知的授权范围 / scope without a description"), unknown);
        }
    }

    @Test
    void aCitizenChangesTheirPasswordThenOnlyTheNewOneLogsInAndTheirOtherSignInHasEnded() {
        String idNumber = newCitizen("测试市民戊").login();
        String newPassword = "Xh#2026-qiantang";
        String form = "#password-form";
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page elsewhere = openAccount(logIn(browser, idNumber));
            Page page = openAccount(logIn(browser, idNumber));
            assertEquals("current-password", page.getAttribute(form + " [name=currentPassword]", "autocomplete"));
            assertEquals("new-password", page.getAttribute(form + " [name=newPassword]", "autocomplete"));
            assertEquals("new-password", page.getAttribute(form + " [name=repeatPassword]", "autocomplete"));
            assertEquals("password", page.getAttribute(form + " [name=newPassword]", "type"));

            // The repeat differs: the page says so beside it, sending nothing.
            page.fill(form + " [name=currentPassword]", DEMO_PASSWORD);
            page.fill(form + " [name=newPassword]", newPassword);
            page.fill(form + " [name=repeatPassword]", newPassword + "!");
            submit(page, form, form + " [data-field=repeatPassword].invalid", "error");
            assertTrue(page.textContent(form + " [data-field=repeatPassword] .error").contains("不一致"),
                    page.textContent(form));

            // The service's refusals stand beside their fields: a new password against the policy, a wrong current one.
            page.fill(form + " [name=newPassword]", "onlylowercaseletters");
            page.fill(form + " [name=repeatPassword]", "onlylowercaseletters");
            submit(page, form, form + " [data-field=newPassword].invalid", "error");
            assertTrue(page.textContent(form + " [data-field=newPassword] .error").contains("至少三类"),
                    page.textContent(form));
            assertEquals("", page.textContent(form + " [data-field=repeatPassword] .error"));
            page.fill(form + " [name=currentPassword]", "Not#the-password1");
            page.fill(form + " [name=newPassword]", newPassword);
            page.fill(form + " [name=repeatPassword]", newPassword);
            submit(page, form, form + " [data-field=currentPassword].invalid", "error");
            assertTrue(page.textContent(form + " [data-field=currentPassword] .error").contains("当前密码错误"),
                    page.textContent(form));

            page.fill(form + " [name=currentPassword]", DEMO_PASSWORD);
            submit(page, form, form + " [name=currentPassword]", "ok");
            assertTrue(page.textContent("#notice").contains("密码已修改"), page.textContent("#notice"));
            assertEquals("", page.inputValue(form + " [name=newPassword]"));
            // This sign-in stays: a reload shows the account again.
            page.reload();
            awaitOn(page, "#my-details");

            // The old password no longer logs in; the new one does.
            Page refused = loginPage(browser, idNumber, DEMO_PASSWORD, null);
            awaitOn(refused, "#login-error");
            assertTrue(refused.url().startsWith(gateway + "/oidc/"), refused.url());
            openAccount(logInWith(browser, idNumber, newPassword));

            // The other browser's sign-in has ended: its next page load is sent to the login page (once the gateway
            // has the back-channel logout or the revoked grant on its list), or, before either has reached the
            // gateway, the page says the services refused its token.
            assertTrue(signInEnded(elsewhere), "the other sign-in still works: " + elsewhere.url() + " "
                    + elsewhere.textContent("body"));
        }
    }

    @Test
    void aCivilServantStartsAtTheirWorkAndHasTheirAccountLast() {
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page reviewer = logIn(browser, "dsj.reviewer");
            // The first section is the work (the review list), the account the last link.
            reviewer.waitForURL(url -> url.endsWith("#/review"), new Page.WaitForURLOptions().setTimeout(10_000));
            assertEquals("#/account", reviewer.getAttribute("#nav li:last-child a", "href"));
            reviewer.click("#nav a[href='#/account']");
            awaitOn(reviewer, "#my-details");
            assertTrue(reviewer.textContent("#my-details").contains("王芳"), reviewer.textContent("#my-details"));
            awaitOn(reviewer, "#totp");
            // Agent authorisations are for citizens and enterprises only.
            assertEquals(0, reviewer.locator("#delegations, #delegation-form").count(), reviewer.textContent("main"));
        }
    }

    @Test
    void anEnterpriseAuthorisesAnAgentWhoAcceptsThenTheEnterpriseRevokesIt() throws Exception {
        String agentId = verified(newCitizen("测试经办人"), "测试经办人").login();
        Account representative = verified(newCitizen("测试法定代表人"), "测试法定代表人");
        // authority over delegations needs real-name level L3
        String uscc = verified(newEnterprise("测试数据服务有限公司", representative), "测试数据服务有限公司").login();
        String first17 = agentId.substring(0, 17);
        String wrongCheck = first17 + (agentId.endsWith("0") ? "1" : "0");
        String row = "#delegations tr:has-text('测试经办人')";
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page enterprise = openAccount(logIn(browser, uscc));
            assertTrue(enterprise.textContent("#my-details").contains(uscc), enterprise.textContent("#my-details"));
            awaitOn(enterprise, "#no-agents");
            assertEquals("off", enterprise.getAttribute("#delegation-form [name=agentIdNumber]", "autocomplete"));

            // A wrong check character is the service's refusal, beside the field.
            enterprise.fill("#delegation-form [name=agentIdNumber]", wrongCheck);
            submit(enterprise, "#delegation-form", "[data-field=agentIdNumber].invalid", "error");
            assertTrue(enterprise.textContent("[data-field=agentIdNumber] .error").contains("校验码"),
                    enterprise.textContent("#delegation-form"));

            enterprise.fill("#delegation-form [name=agentIdNumber]", agentId);
            enterprise.fill("#delegation-form [name=agentName]", "测试经办人");
            submit(enterprise, "#delegation-form", row, "ok");
            assertEquals("", enterprise.inputValue("#delegation-form [name=agentIdNumber]"));
            assertEquals("", enterprise.inputValue("#delegation-form [name=agentName]"));
            assertFalse(enterprise.textContent("main").contains(agentId), "the agent's ID number is shown");
            assertTrue(enterprise.textContent(row).contains("待经办人确认"), enterprise.textContent(row));
            // The enterprise's side may only revoke: accepting is the agent's.
            assertEquals(0, enterprise.locator(row + " button[data-action=accept]").count());

            Page agent = openAccount(logIn(browser, agentId));
            String offer = "#delegations tr:has-text('测试数据服务有限公司')";
            awaitOn(agent, offer + " button[data-action=accept]");
            assertTrue(agent.textContent(offer).contains(uscc), agent.textContent(offer));
            click(agent, offer + " button[data-action=accept]");
            assertTrue(agent.textContent(offer).contains("生效"), agent.textContent(offer));

            // A citizen who does not represent the enterprise is refused by the service.
            agent.click("#as-representative summary");
            agent.fill("#delegation-form [name=enterpriseUscc]", uscc);
            agent.fill("#delegation-form [name=agentIdNumber]", agentId);
            agent.fill("#delegation-form [name=agentName]", "测试经办人");
            answer(agent, () -> agent.click("#delegation-form button[type=submit]"), "a non-representative", "error");
            assertTrue(agent.textContent("#notice").contains("403"), agent.textContent("#notice"));

            // In force, the agent signs in for the enterprise: the console works as the enterprise and says who acts.
            Page acting = logInActingFor(browser, agentId, uscc);
            awaitOn(acting, "header #agent");
            assertEquals("经办人 测试经办人 代 测试数据服务有限公司 办理 / agent acting for the principal",
                    acting.textContent("header #agent"));
            assertTrue(acting.textContent("#user").contains("测试数据服务有限公司（经办人 测试经办人 代为办理"),
                    acting.textContent("#user"));
            // The agent's own sign-in names no one else.
            assertEquals(0, agent.locator("header #agent").count(), agent.textContent("header"));
            // 我的账户 as the enterprise's agent: no two-step verification to manage, and the parts the service
            // refuses an agent (consents, authorisations) say why in words, never as a bare status code.
            openAccount(acting);
            awaitOn(acting, "#totp-agent");
            assertEquals(0, acting.locator("#enrol-totp, #totp-replace, #totp-remove").count(),
                    acting.textContent("#totp"));
            assertTrue(acting.textContent("#consents").contains("经办人代企业办理时"), acting.textContent("#consents"));
            assertTrue(acting.textContent("#delegations").contains("经办人代企业办理时"),
                    acting.textContent("#delegations"));
            assertFalse(acting.textContent("main").contains("HTTP 403"), acting.textContent("main"));

            enterprise.reload();
            awaitOn(enterprise, row + " button[data-action=revoke]");
            assertTrue(enterprise.textContent(row).contains("生效"), enterprise.textContent(row));
            confirmed(enterprise, row + " button[data-action=revoke]", "ok");
            assertTrue(enterprise.textContent(row).contains("已撤销"), enterprise.textContent(row));
            assertEquals(0, enterprise.locator(row + " button").count(), enterprise.textContent(row));

            agent.reload();
            awaitOn(agent, offer + " [data-status=REVOKED]");
            assertEquals(0, agent.locator(offer + " button").count(), agent.textContent(offer));

            // The legal representative authorises the agent again for the enterprise, from their own account.
            Page person = openAccount(logIn(browser, representative.login()));
            person.click("#as-representative summary");
            person.fill("#delegation-form [name=enterpriseUscc]", uscc);
            person.fill("#delegation-form [name=agentIdNumber]", agentId);
            person.fill("#delegation-form [name=agentName]", "测试经办人");
            submit(person, "#delegation-form", row + " [data-status=PENDING]", "ok");
            assertTrue(person.textContent(row).contains("测试数据服务有限公司"), person.textContent(row));
            assertEquals(1, person.locator(row + " button[data-action=revoke]").count(), person.textContent(row));
            person.screenshot(new Page.ScreenshotOptions().setPath(Paths.get("target/console-my-account.png"))
                    .setFullPage(true));
        }
    }

    /** Signs in through the real login page as an agent (经办人) acting for the enterprise with that credit code. */
    private Page logInActingFor(Browser browser, String agentLogin, String uscc) {
        return signedIn(loginPage(browser, agentLogin, DEMO_PASSWORD, uscc));
    }

    /**
     * A new browser session at the real login page, the name and password sent (and the credit code of the
     * enterprise to act for, if any), whatever the answer.
     */
    private Page loginPage(Browser browser, String login, String password, String enterprise) {
        Page page = browser.newContext().newPage();
        page.navigate(gateway + "/console");
        page.fill("#username", login);
        page.fill("#password", password);
        if (enterprise != null) {
            page.fill("#enterprise", enterprise);
        }
        page.click("#submit");
        return page;
    }

    /** A new browser session logged in to the console with the given password (the demo one: {@code logIn}). */
    private Page logInWith(Browser browser, String login, String password) {
        return signedIn(loginPage(browser, login, password, null));
    }

    /** The page once the login has brought it to the console and the page's script has run. */
    private Page signedIn(Page page) {
        page.waitForURL(url -> url.startsWith(gateway + "/console"), new Page.WaitForURLOptions().setTimeout(30_000));
        awaitOn(page, "#nav li");
        return page;
    }

    /**
     * Whether the console, reloaded, finds its sign-in over: sent to the login page, or the page saying the session
     * has ended (the services refused its token).
     */
    private boolean signInEnded(Page page) {
        com.microsoft.playwright.Response reload = page.reload();
        // a page load never shows the gateway's JSON (a 401 problem), whichever way the session ended
        String type = reload == null ? null : reload.headerValue("content-type");
        assertFalse(type != null && type.contains("json"), "the reload showed JSON: " + reload.status() + " "
                + page.url() + " " + page.textContent("body"));
        if (page.url().startsWith(gateway + "/oidc/")) {
            return page.locator("#password").count() == 1;
        }
        try {
            page.waitForFunction("() => { const n = document.getElementById('notice'); return !!n"
                    + " && n.className === 'error' && /登录已失效|HTTP 401/.test(n.textContent); }", null,
                    new Page.WaitForFunctionOptions().setTimeout(20_000));
            return page.locator("#my-details").count() == 0;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private Page openAccount(Page page) {
        page.click("#nav a[href='#/account']");
        awaitOn(page, "#my-details");
        return page;
    }

    /** An account of the test's own: its id and its login name. */
    private record Account(String id, String login) {
    }

    /** A citizen account of the test's own, with the demo password; its login name is its ID number. */
    private Account newCitizen(String name) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String first17 = String.format("330106%04d%02d%02d%03d", 1970 + random.nextInt(30), 1 + random.nextInt(12),
                1 + random.nextInt(28), random.nextInt(1000));
        String idNumber = first17 + ResidentIdNumber.checkCharacter(first17);
        return create(Map.of("type", "NATURAL_PERSON", "displayName", name, "idNumber", idNumber), idNumber);
    }

    /** An enterprise account of the test's own, with its legal representative; its login name is its credit code. */
    private Account newEnterprise(String name, Account representative) {
        String first17 = String.format("91330106%09d", ThreadLocalRandom.current().nextInt(1_000_000_000));
        String uscc = first17 + CreditCode.checkCharacter(first17);
        return create(Map.of("type", "LEGAL_PERSON", "displayName", name, "uscc", uscc,
                "legalRepresentativeId", representative.id()), uscc);
    }

    /** The account raised to real-name level L3 (the name checked as evidence). */
    private Account verified(Account account, String name) {
        given().auth().oauth2(admin).contentType("application/json").body(Map.of("level", 3, "method",
                "population-register", "evidence", name)).post(gateway + "/api/identity/v1/accounts/" + account.id()
                        + "/level").then().statusCode(200);
        return account;
    }

    private Account create(Map<String, String> account, String login) {
        Map<String, String> body = new HashMap<>(account);
        body.put("password", DEMO_PASSWORD);
        String id = given().auth().oauth2(admin).contentType("application/json").body(body)
                .post(gateway + "/api/identity/v1/accounts").then().statusCode(201).extract().path("id");
        return new Account(id, login);
    }

    /** Six digits that are none of the secret's codes within the clock drift the service allows. */
    private static String notACode(String secret) throws GeneralSecurityException {
        List<String> codes = List.of(totp(secret, -1), totp(secret, 0), totp(secret, 1));
        for (int i = 0;; i++) {
            String candidate = String.format("%06d", i * 111_111 % 1_000_000);
            if (!codes.contains(candidate)) {
                return candidate;
            }
        }
    }
}
