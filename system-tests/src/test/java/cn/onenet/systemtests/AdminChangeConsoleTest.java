package cn.onenet.systemtests;

import static cn.onenet.systemtests.ConsolePages.DEMO_PASSWORD;
import static cn.onenet.systemtests.ConsolePages.answer;
import static cn.onenet.systemtests.ConsolePages.awaitOn;
import static cn.onenet.systemtests.ConsolePages.chromium;
import static cn.onenet.systemtests.ConsolePages.confirmed;
import static cn.onenet.systemtests.ConsolePages.logIn;
import static cn.onenet.systemtests.ConsolePages.submit;
import static cn.onenet.systemtests.Totp.totp;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

import cn.onenet.common.identifiers.CreditCode;

/**
 * The console's screen for changes of administrators' accounts (双人复核) in Chromium against the running suite: one
 * administrator asks to change another's roles, a third confirms or rejects it on the list, the requester may only
 * withdraw, the account's holder may do neither; whoever is neither administrator nor auditor does not reach the
 * screen. A new administrator created in the console's form waits for a second one, who confirms it on the list; the
 * disabling and TOTP reset of an administrator wait too, each said in words; so does the deactivation of a department
 * another administrator works in, whose administrator may not decide it; the screen's introduction names every kind
 * that waits. And the audit log's event types and the real-name methods: every one identity-service writes has words
 * in the console.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedSuite.class)
class AdminChangeConsoleTest {

    private static final String CHANGES = "/api/identity/v1/admin-changes";

    private String gateway;
    private String requesterToken;
    private String department;
    /** The second administrator who decides (neither the requester, dsj.admin, nor a holder). */
    private String decider;
    /** An administrator other than dsj.admin who confirms the creation of the test's administrators. */
    private String confirmerToken;

    @BeforeAll
    void accounts() throws Exception {
        gateway = SharedSuite.gateway();
        requesterToken = token("dsj.admin");
        department = given().auth().oauth2(requesterToken).get(gateway + "/api/identity/v1/accounts?q=dsj.admin")
                .then().statusCode(200).extract().path("[0].departmentCode");
        decider = newAdministrator("复核管理员").username();
        confirmerToken = token(decider);
    }

    @Test
    void aNewAdministratorCreatedInTheFormWaitsForASecondOneWhoConfirmsIt() throws Exception {
        String username = "dsj.newadmin" + System.nanoTime() % 1_000_000;
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page requester = logIn(browser, "dsj.admin");
            requester.navigate(gateway + "/console#/accounts/new");
            awaitOn(requester, "#account-form [name=username]");
            requester.fill("#account-form [name=username]", username);
            requester.fill("#account-form [name=displayName]", "新建管理员");
            requester.selectOption("#account-form [name=departmentCode]", department);
            requester.check("#account-form input[name=roles][value=admin]");
            requester.fill("#account-form [name=password]", DEMO_PASSWORD);
            requester.fill("#account-form [name=email]", username + "@example.cn");
            // 202: no account yet; the page says it waits and leads to the change, not to an account page (404)
            submit(requester, "#account-form", "#notice #see-admin-change", "ok");
            String notice = requester.textContent("#notice");
            assertTrue(notice.contains("须由另一位管理员确认后才创建") && notice.contains(username), notice);
            awaitOn(requester, "#new-account");
            assertFalse(requester.url().contains("#/accounts/"), requester.url());
            List<String> found = given().auth().oauth2(requesterToken).get(gateway + "/api/identity/v1/accounts?q="
                    + username).then().statusCode(200).extract().path("username");
            assertEquals(List.of(), found);
            List<Map<String, Object>> waiting = given().auth().oauth2(requesterToken).get(gateway + CHANGES
                    + "?status=PENDING").then().statusCode(200).extract().path("findAll { it.username == '"
                    + username + "' }");
            assertEquals(1, waiting.size(), waiting.toString());
            String change = (String) waiting.get(0).get("id");
            assertNull(waiting.get(0).get("accountId"));

            // the change, marked on the list: who is to be created, in words; the requester may only withdraw it
            requester.click("#notice #see-admin-change");
            String row = "#admin-changes tr[data-change='" + change + "']";
            awaitOn(requester, row + ".current-change");
            String text = requester.textContent(row);
            assertTrue(text.contains("新建管理员账户") && text.contains("登录名 / login name " + username)
                    && text.contains("新建管理员") && text.contains("管理员 / admin") && text.contains("待创建")
                    && text.contains((String) waiting.get(0).get("emailMasked")), text);
            assertFalse(text.contains("CREATE") || text.contains("null") || text.contains(username + "@"), text);
            assertEquals(0, requester.locator(row + " a.account").count(), text);
            assertEquals(0, requester.locator(row + " [data-action=confirm]").count(), text);
            assertEquals(1, requester.locator(row + " #withdraw-" + change).count(), text);

            // a second administrator confirms it: the account exists and opens
            Page second = logIn(browser, decider);
            second.navigate(gateway + "/console#/admin-changes");
            confirmed(second, row + " #confirm-" + change, "ok");
            awaitOn(second, row + " [data-status=APPLIED]");
            String account = (String) change(change).get("accountId");
            assertNotNull(account);
            second.click(row + " a.account[href='#/accounts/" + account + "']");
            awaitOn(second, "#account-name");
            assertEquals("新建管理员", second.textContent("#account-name"));
            assertEquals(List.of("admin"), roles(account));
        }
    }

    @Test
    void disablingAnAdministratorOrResettingTheirTotpWaitsAndIsSaidInWords() throws Exception {
        Admin disabled = newAdministrator("待停用管理员");
        Admin reset = newAdministrator("待重置口令管理员");
        enrolTotp(reset.username());
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page requester = logIn(browser, "dsj.admin");
            requester.navigate(gateway + "/console#/accounts/" + disabled.id());
            awaitOn(requester, "#disable-account");
            answer(requester, () -> requester.click("#disable-account"), "#disable-account", "ok");
            awaitOn(requester, "#notice #see-admin-change");
            assertTrue(requester.textContent("#notice").contains("等待另一位管理员确认"), requester.textContent("#notice"));
            awaitOn(requester, "#account-admin-change");
            assertTrue(requester.textContent("#account-admin-change").contains("停用账户"),
                    requester.textContent("#account-admin-change"));
            assertTrue(requester.textContent("#account-status").contains("正常"), requester.textContent("#account-status"));
            String disable = pending(disabled.id());
            requester.click("#notice #see-admin-change");
            String row = "#admin-changes tr[data-change='" + disable + "']";
            awaitOn(requester, row);
            String text = requester.textContent(row);
            assertTrue(text.contains("停用账户") && text.contains("停用该管理员账户，并注销其全部会话"), text);
            assertFalse(text.contains("DISABLE") || text.contains("联系方式"), text);

            requester.navigate(gateway + "/console#/accounts/" + reset.id());
            awaitOn(requester, "#reset-totp");
            answer(requester, () -> requester.click("#reset-totp"), "#reset-totp", "ok");
            awaitOn(requester, "#notice #see-admin-change");
            assertTrue(requester.textContent("#notice").contains("等待另一位管理员确认"), requester.textContent("#notice"));
            String totpReset = pending(reset.id());
            requester.click("#notice #see-admin-change");
            row = "#admin-changes tr[data-change='" + totpReset + "']";
            awaitOn(requester, row);
            text = requester.textContent(row);
            assertTrue(text.contains("重置动态口令") && text.contains("重置该管理员的动态口令"), text);
            assertFalse(text.contains("TOTP_RESET") || text.contains("联系方式"), text);
        }
    }

    @Test
    void deactivatingADepartmentWithAnotherAdministratorWaitsAndIsSaidInWords() throws Exception {
        String first17 = "12330000" + String.format("%09d", System.nanoTime() % 1_000_000_000L);
        String code = first17 + CreditCode.checkCharacter(first17);
        String name = "浙江省复核测试中心" + System.nanoTime() % 1_000_000;
        Map<String, Object> body = new HashMap<>(Map.of("code", code, "name", name, "regionCode", "330000",
                "level", "PROVINCE", "kind", "AUTHORISED_ORGANISATION", "reason", "浙编〔2026〕98号 设立"));
        given().auth().oauth2(requesterToken).contentType("application/json").body(body)
                .post(gateway + "/api/identity/v1/departments").then().statusCode(201);
        Admin holder = newAdministrator("部门管理员", code);
        String reason = "机构改革：职责并入大数据局";
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            // the requester deactivates it on its page: 202, nothing changed yet, the notice leads to the change
            Page requester = logIn(browser, "dsj.admin");
            requester.navigate(gateway + "/console#/departments/" + code);
            awaitOn(requester, "#department-deactivate");
            requester.fill("#department-deactivate [name=reason]", reason);
            submit(requester, "#department-deactivate", "#notice #see-admin-change", "ok");
            assertTrue(requester.textContent("#notice").contains("须由另一位管理员"), requester.textContent("#notice"));
            awaitOn(requester, "#department-admin-change");
            assertTrue(requester.textContent("#department-admin-change").contains("撤销部门"),
                    requester.textContent("#department-admin-change"));
            assertTrue(requester.textContent("#department-status").contains("有效"), requester.textContent("main"));
            assertEquals(true, department(code).get("active"));
            List<String> ids = given().auth().oauth2(requesterToken).get(gateway + CHANGES + "?status=PENDING&department="
                    + code).then().statusCode(200).extract().path("id");
            assertEquals(1, ids.size(), ids.toString());
            String change = ids.get(0);

            // on the list: who asked, which department, why — in words; the requester may only withdraw
            requester.click("#notice #see-admin-change");
            String row = "#admin-changes tr[data-change='" + change + "']";
            awaitOn(requester, row + ".current-change");
            String text = requester.textContent(row);
            assertTrue(text.contains("撤销部门") && text.contains(name) && text.contains(code) && text.contains(reason)
                    && text.contains("李明（大数据局管理员）") && text.contains("待复核"), text);
            assertFalse(text.contains("DEPARTMENT_DEACTIVATE") || text.contains("null") || text.contains("undefined"),
                    text);
            assertEquals(1, requester.locator(row + " a.department[href='#/departments/" + code + "']").count(), text);
            assertEquals(0, requester.locator(row + " [data-action=confirm]").count(), text);
            assertEquals(1, requester.locator(row + " #withdraw-" + change).count(), text);

            // the department's administrator, whose power it takes, is offered nothing and told why
            Page own = logIn(browser, holder.username());
            own.navigate(gateway + "/console#/admin-changes?department=" + code);
            awaitOn(own, row);
            assertEquals(0, own.locator(row + " button").count(), own.textContent(row));
            assertTrue(own.textContent(row + " .why-not").contains("本部门的撤销或恢复由其他部门的管理员复核"),
                    own.textContent(row));

            // a second administrator of another department confirms it: deactivated
            Page second = logIn(browser, decider);
            second.navigate(gateway + "/console#/admin-changes");
            confirmed(second, row + " #confirm-" + change, "ok");
            awaitOn(second, row + " [data-status=APPLIED]");
            assertEquals(false, department(code).get("active"));
            second.navigate(gateway + "/console#/departments/" + code);
            awaitOn(second, "#department-reactivate");
            assertTrue(second.textContent("#department-status").contains("已撤销"), second.textContent("main"));
            assertEquals(0, second.locator("#department-admin-change").count(), second.textContent("main"));
        }
    }

    @Test
    void aSecondAdministratorConfirmsOnTheListWhatTheRequesterMayOnlyWithdraw() throws Exception {
        Admin holder = newAdministrator("被变更管理员");
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            // the requester asks on the account's page: it waits, and the notice leads to the change
            Page requester = logIn(browser, "dsj.admin");
            requester.navigate(gateway + "/console#/accounts/" + holder.id());
            awaitOn(requester, "#account-roles");
            requester.check("#account-roles input[value=operator]");
            submit(requester, "#account-roles", "#account-admin-change", "ok");
            assertTrue(requester.textContent("#notice").contains("等待另一位管理员确认"), requester.textContent("#notice"));
            assertEquals(1, requester.locator("#notice #see-admin-change").count(), requester.textContent("#notice"));
            assertEquals(List.of("admin"), roles(holder.id()));
            String change = pending(holder.id());

            // on the list the requester reads the change in words, may withdraw it, and is not offered to confirm it
            requester.click("#notice #see-admin-change");
            String row = "#admin-changes tr[data-change='" + change + "']";
            awaitOn(requester, row);
            String text = requester.textContent(row);
            assertTrue(text.contains("变更角色") && text.contains("共享专员 / operator、管理员 / admin")
                    && text.contains("李明") && text.contains("待复核"), text);
            assertFalse(text.contains("[\"") || text.contains("ROLES") || text.contains("PENDING"), text);
            assertEquals(0, requester.locator(row + " [data-action=confirm], " + row + " [data-action=reject]")
                    .count(), text);
            assertEquals(1, requester.locator(row + " #withdraw-" + change).count(), text);
            assertTrue(requester.textContent(row + " .why-not").contains("另一位管理员确认"), text);
            // and the service refuses it too
            given().auth().oauth2(requesterToken).post(gateway + CHANGES + "/" + change + "/confirm").then()
                    .statusCode(403);

            // the holder is offered nothing on a change of their own account, and told why
            Page own = logIn(browser, holder.username());
            own.navigate(gateway + "/console#/admin-changes?status=PENDING");
            awaitOn(own, row);
            assertEquals(0, own.locator(row + " button").count(), own.textContent(row));
            assertTrue(own.textContent(row + " .why-not").contains("本人账户的变更由其他管理员复核"), own.textContent(row));

            // the third administrator: the menu counts what awaits them, the list offers the decision
            Page second = logIn(browser, decider);
            awaitOn(second, "#admin-changes-badge:not([hidden])");
            second.click("#nav a[href='#/admin-changes']");
            awaitOn(second, row + " #confirm-" + change);
            // the menu drawn anew with the section, its count read again
            awaitOn(second, "#admin-changes-badge:not([hidden])");
            assertEquals(String.valueOf(second.locator("#admin-changes [data-action=confirm]").count()),
                    second.textContent("#admin-changes-badge"));
            confirmed(second, row + " #confirm-" + change, "ok");
            assertTrue(second.textContent("#notice").contains("已确认"), second.textContent("#notice"));
            awaitOn(second, row + " [data-status=APPLIED]");
            assertEquals(0, second.locator(row + " button").count(), second.textContent(row));
            assertTrue(second.textContent(row).contains("复核管理员"), second.textContent(row));
            assertEquals(Set.of("admin", "operator"), Set.copyOf(roles(holder.id())));
        }
    }

    @Test
    void aChangeRejectedWithdrawnOrDecidedMeanwhileChangesNothingAndThePageSaysWhy() throws Exception {
        Admin holder = newAdministrator("被驳回管理员");
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page second = logIn(browser, decider);
            Page requester = logIn(browser, "dsj.admin");

            // rejected by the second administrator
            String rejected = askRoles(holder.id(), List.of("admin", "head"));
            second.navigate(gateway + "/console#/admin-changes");
            confirmed(second, "#reject-" + rejected, "ok");
            assertTrue(second.textContent("#notice").contains("已驳回"), second.textContent("#notice"));
            awaitOn(second, "#admin-changes tr[data-change='" + rejected + "'] [data-status=REJECTED]");
            assertEquals("REJECTED", change(rejected).get("status"));
            assertEquals(List.of("admin"), roles(holder.id()));

            // withdrawn by its requester
            String withdrawn = askRoles(holder.id(), List.of("admin", "operator"));
            requester.navigate(gateway + "/console#/admin-changes");
            confirmed(requester, "#withdraw-" + withdrawn, "ok");
            assertTrue(requester.textContent("#notice").contains("已撤回"), requester.textContent("#notice"));
            String row = "#admin-changes tr[data-change='" + withdrawn + "']";
            awaitOn(requester, row + " [data-status=REJECTED]");
            assertTrue(requester.textContent(row).contains("已撤回"), requester.textContent(row));
            assertEquals(List.of("admin"), roles(holder.id()));

            // the filter by state: the rejected and the withdrawn one, nothing waiting
            second.navigate(gateway + "/console#/admin-changes");
            awaitOn(second, "#admin-change-filter");
            second.selectOption("#admin-change-filter [name=status]", "REJECTED");
            filter(second, "#admin-change-filter", "status=REJECTED");
            awaitOn(second, "#admin-changes tr[data-change='" + withdrawn + "']");
            assertEquals(0, second.locator("#admin-changes [data-status]:not([data-status=REJECTED])").count(),
                    second.textContent("#admin-changes"));

            // withdrawn while the second administrator had the list open: the service's 409, in its words
            String gone = askRoles(holder.id(), List.of("admin", "operator"));
            second.navigate(gateway + "/console#/admin-changes");
            awaitOn(second, "#confirm-" + gone);
            given().auth().oauth2(requesterToken).post(gateway + CHANGES + "/" + gone + "/reject").then()
                    .statusCode(200);
            confirmed(second, "#confirm-" + gone, "error");
            String notice = second.textContent("#notice");
            assertTrue(notice.contains("409") && notice.contains("该变更已处理"), notice);
            // the list read again shows how it stands, with nothing left to decide on it
            String goneRow = "#admin-changes tr[data-change='" + gone + "']";
            awaitOn(second, goneRow + " [data-status=REJECTED]");
            assertEquals(0, second.locator(goneRow + " button").count(), second.textContent(goneRow));
            assertEquals(List.of("admin"), roles(holder.id()));
        }
    }

    @Test
    void whoeverIsNeitherAdministratorNorAuditorDoesNotReachTheScreen() throws Exception {
        given().auth().oauth2(token("dsj.reviewer")).get(gateway + CHANGES).then().statusCode(403);
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page reviewer = logIn(browser, "dsj.reviewer");
            assertEquals(0, reviewer.locator("#nav a[href='#/admin-changes']").count());
            reviewer.navigate(gateway + "/console#/admin-changes");
            reviewer.waitForFunction("() => !location.hash.startsWith('#/admin-changes')");
            awaitOn(reviewer, "main h2");
            assertEquals(0, reviewer.locator("#admin-changes, #admin-change-filter").count(),
                    reviewer.textContent("main"));

            // an auditor reads the list, and decides nothing
            Admin holder = newAdministrator("审计可见管理员");
            String change = askRoles(holder.id(), List.of("admin", "operator"));
            Page auditor = logIn(browser, "dsj.auditor");
            auditor.navigate(gateway + "/console#/admin-changes");
            String row = "#admin-changes tr[data-change='" + change + "']";
            awaitOn(auditor, row);
            assertEquals(0, auditor.locator("#admin-changes button").count(), auditor.textContent("#admin-changes"));
        }
    }

    @Test
    void whatAnAdministratorDidToAnAccountIsInItsHoldersSecurityEventsInWords() throws Exception {
        String username = "dsj.staff" + System.nanoTime() % 1_000_000;
        String id = given().auth().oauth2(requesterToken).contentType("application/json")
                .body(Map.of("type", "CIVIL_SERVANT", "username", username, "displayName", "安全记录职员",
                        "departmentCode", department, "roles", List.of("operator"), "password", DEMO_PASSWORD))
                .post(gateway + "/api/identity/v1/accounts").then().statusCode(201).extract().path("id");
        String account = gateway + "/api/identity/v1/accounts/" + id;
        given().auth().oauth2(requesterToken).post(account + "/disable").then().statusCode(200);
        given().auth().oauth2(requesterToken).post(account + "/enable").then().statusCode(200);
        given().auth().oauth2(requesterToken).delete(account + "/login-lock").then().statusCode(204);
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page holder = logIn(browser, username);
            holder.click("#nav a[href='#/account']");
            awaitOn(holder, "#sessions table tbody tr");
            String events = holder.textContent("#sessions");
            assertTrue(events.contains("停用账户") && events.contains("启用账户") && events.contains("解除登录锁定"),
                    events);
            assertFalse(events.contains("ACCOUNT_DISABLED") || events.contains("ACCOUNT_ENABLED")
                    || events.contains("LOGIN_UNLOCKED"), events);
        }
    }

    @Test
    void everyEventTypeIdentityServiceWritesHasWordsInTheAuditLogWithItsCodeAsTitle() throws Exception {
        Set<String> written = auditTypesInSources();
        // the scan found the types, those handed on by helpers too
        assertTrue(written.size() > 60 && written.containsAll(Set.of("LOGIN", "DELEGATION_EXPIRED",
                "ADMIN_CHANGE_REQUESTED", "ADMIN_CHANGE_EXPIRED", "TOTP_REMOVED", "CONSENT_APPLICATION_SIGNED_OUT")),
                written.toString());
        Admin holder = newAdministrator("审计标签管理员");
        askRoles(holder.id(), List.of("admin", "operator"));
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page auditor = logIn(browser, "dsj.auditor");
            auditor.navigate(gateway + "/console#/audit");
            awaitOn(auditor, "#audit-filter [name=type]");
            @SuppressWarnings("unchecked")
            Map<String, String> labels = (Map<String, String>) auditor.evaluate("() => Object.fromEntries("
                    + "[...document.querySelectorAll('#audit-filter [name=type] option')].filter((o) => o.value)"
                    + ".map((o) => [o.value, o.textContent + '|' + o.title]))");
            List<String> missing = new ArrayList<>();
            for (String type : written) {
                String shown = labels.get(type);
                // words in both languages, not the code itself; the code as the title
                if (shown == null || !shown.equals(shown.split("\\|")[0] + "|" + type)
                        || shown.startsWith(type) || !shown.contains(" / ")) {
                    missing.add(type + "=" + shown);
                }
            }
            assertEquals(List.of(), missing, "event types without words in the console's audit log");

            // the table: the words, the code as the cell's title
            auditor.selectOption("#audit-filter [name=type]", "ADMIN_CHANGE_REQUESTED");
            filter(auditor, "#audit-filter", "type=ADMIN_CHANGE_REQUESTED");
            String cell = "main table tbody tr:first-child .event-type[title=ADMIN_CHANGE_REQUESTED]";
            awaitOn(auditor, cell);
            String words = auditor.textContent(cell);
            assertNotEquals("ADMIN_CHANGE_REQUESTED", words);
            assertTrue(words.contains("待复核"), words);
        }
    }

    @Test
    void theIntroductionNamesEveryKindOfChangeThatWaits() {
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page page = logIn(browser, "dsj.admin");
            page.navigate(gateway + "/console#/admin-changes");
            awaitOn(page, "#admin-changes-awaiting");
            String intro = page.textContent("main h2 + p");
            for (String kind : List.of("新建管理员", "停用", "启用", "角色", "实名等级", "柜台核验", "动态口令", "撤销或恢复")) {
                assertTrue(intro.contains(kind), kind + " missing: " + intro);
            }
            for (String kind : List.of("Creating an administrator", "disabling", "enabling", "TOTP")) {
                assertTrue(intro.contains(kind), kind + " missing: " + intro);
            }
        }
    }

    @Test
    void everyRealNameMethodIdentityServiceRecordsHasWords() throws Exception {
        Set<String> recorded = levelMethodsInSources();
        // the scan found the methods set by the service itself and those an administrator names
        assertTrue(recorded.containsAll(Set.of("format-check", "population-register", "in-person", "certificate",
                "employer", "business-licence", "legal-person-registry")), recorded.toString());
        String staff = given().auth().oauth2(requesterToken).contentType("application/json")
                .body(Map.of("type", "CIVIL_SERVANT", "username", "dsj.method" + System.nanoTime() % 1_000_000,
                        "displayName", "实名方式职员", "departmentCode", department, "roles", List.of("operator"),
                        "password", DEMO_PASSWORD))
                .post(gateway + "/api/identity/v1/accounts").then().statusCode(201).extract().path("id");
        String enterprise = given().auth().oauth2(requesterToken).get(gateway
                + "/api/identity/v1/accounts?q=91330106MA2H00001E").then().statusCode(200).extract().path("[0].id");
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page page = logIn(browser, "dsj.admin");
            page.navigate(gateway + "/console#/accounts/" + staff);
            awaitOn(page, "#account-status");
            // a civil servant's level comes from their employer, the demo enterprise's from its business licence
            assertTrue(page.textContent("main").contains("L3 · 所在单位核验"), page.textContent("main"));
            page.navigate(gateway + "/console#/accounts/" + enterprise);
            page.waitForFunction("() => document.getElementById('account-name')?.textContent.includes('杭州数智')");
            awaitOn(page, "#account-status");
            assertTrue(page.textContent("main").contains("L3 · 营业执照核验"), page.textContent("main"));

            // the one vocabulary the administrators' and the holders' pages read: words in both languages
            @SuppressWarnings("unchecked")
            Map<String, String> words = (Map<String, String>) page.evaluate(
                    "async () => (await import('/console/assets/ui.js')).LEVEL_METHOD");
            List<String> missing = new ArrayList<>();
            for (String method : recorded) {
                String shown = words.get(method);
                if (shown == null || shown.startsWith(method) || !shown.contains(" / ")) {
                    missing.add(method + "=" + shown);
                }
            }
            assertEquals(List.of(), missing, "real-name methods without words in the console");
        }
    }

    /**
     * The real-name methods identity-service's sources record: the literals assigned to {@code levelMethod}, those
     * its level verifier accepts from an administrator ({@code "…".equals(method)}) and those it answers with.
     */
    private static Set<String> levelMethodsInSources() throws IOException {
        Pattern assigned = Pattern.compile("levelMethod\\s*=([^;]*);");
        Pattern named = Pattern.compile("\"([a-z][a-z0-9]*(?:-[a-z0-9]+)*)\"\\s*\\.equals\\(method\\)"
                + "|Result\\.ok\\(\"([a-z][a-z0-9]*(?:-[a-z0-9]+)*)\"\\)");
        Pattern literal = Pattern.compile("\"([a-z][a-z0-9]*(?:-[a-z0-9]+)*)\"");
        Set<String> methods = new TreeSet<>();
        for (String source : identitySources()) {
            Matcher m = assigned.matcher(source);
            while (m.find()) {
                Matcher value = literal.matcher(m.group(1));
                while (value.find()) {
                    methods.add(value.group(1));
                }
            }
            m = named.matcher(source);
            while (m.find()) {
                methods.add(m.group(1) != null ? m.group(1) : m.group(2));
            }
        }
        return methods;
    }

    /** The text of every Java source of identity-service. */
    private static List<String> identitySources() throws IOException {
        Path root = Path.of(System.getProperty("suite.root", "..")).toAbsolutePath().normalize()
                .resolve("identity-service/src/main/java");
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".java")).map(p -> {
                try {
                    return Files.readString(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        }
    }

    /** Sends the filter form and waits for the filtered list, which replaces the one shown (marked meanwhile). */
    private static void filter(Page page, String form, String inAddress) {
        page.evaluate("form => { document.querySelector(form).dataset.unfiltered = 'yes'; }", form);
        page.click(form + " button[type=submit]");
        page.waitForFunction("([form, part]) => location.hash.includes(part) && document.querySelector(form)"
                + " && !document.querySelector(form + '[data-unfiltered]')", List.of(form, inAddress));
    }

    /**
     * The event types identity-service's sources write: the literal types given to {@code AuditService.record} and
     * {@code recordInTransaction}, and to the helpers that hand a {@code String event} parameter on to them.
     */
    private static Set<String> auditTypesInSources() throws IOException {
        List<String> sources = identitySources();
        Map<String, Integer> typeArgument = new HashMap<>(Map.of("record", 0, "recordInTransaction", 0));
        Pattern helper = Pattern.compile("\\b(\\w+)\\s*\\(([^()]*\\bString\\s+event\\b[^()]*)\\)\\s*\\{");
        for (String source : sources) {
            Matcher m = helper.matcher(source);
            while (m.find()) {
                String[] params = m.group(2).split(",");
                for (int i = 0; i < params.length; i++) {
                    if (params[i].trim().matches("(final\\s+)?String\\s+event")) {
                        typeArgument.put(m.group(1), i);
                    }
                }
            }
        }
        Pattern call = Pattern.compile("\\b(" + String.join("|", typeArgument.keySet()) + ")\\s*\\(");
        Pattern code = Pattern.compile("\"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)\"");
        Set<String> types = new TreeSet<>();
        for (String source : sources) {
            Matcher m = call.matcher(source);
            while (m.find()) {
                List<String> args = SourceCodes.arguments(source, m.end());
                int index = typeArgument.get(m.group(1));
                if (args.size() > index) {
                    Matcher literal = code.matcher(args.get(index));
                    while (literal.find()) {
                        types.add(literal.group(1));
                    }
                }
            }
        }
        return types;
    }

    private record Admin(String id, String username) {
    }

    /**
     * A new administrator of dsj.admin's department, with the demo password: created at once while dsj.admin is the
     * only administrator who can act (201), else confirmed by a second one (202, 双人复核).
     */
    private Admin newAdministrator(String name) throws Exception {
        return newAdministrator(name, department);
    }

    /** The same in {@code departmentCode}. */
    private Admin newAdministrator(String name, String departmentCode) throws Exception {
        String username = "dsj.admin" + System.nanoTime() % 1_000_000;
        var created = given().auth().oauth2(requesterToken).contentType("application/json")
                .body(Map.of("type", "CIVIL_SERVANT", "username", username, "displayName", name, "departmentCode",
                        departmentCode, "roles", List.of("admin"), "password", DEMO_PASSWORD))
                .post(gateway + "/api/identity/v1/accounts").then().extract();
        if (created.statusCode() == 201) {
            return new Admin(created.path("id"), username);
        }
        assertEquals(202, created.statusCode(), created.asString());
        String id = given().auth().oauth2(confirmer()).post(gateway + CHANGES + "/" + created.path("id") + "/confirm")
                .then().statusCode(200).extract().path("accountId");
        return new Admin(id, username);
    }

    /** A second administrator's token: the decider's, or before there is one any other administrator of the tests. */
    private String confirmer() throws Exception {
        if (confirmerToken == null) {
            List<String> others = given().auth().oauth2(requesterToken).get(gateway
                    + "/api/identity/v1/accounts?role=admin&status=ACTIVE&size=200").then().statusCode(200).extract()
                    .path("username.findAll { it != 'dsj.admin' }");
            for (String other : others) {
                try {
                    confirmerToken = token(other);
                    break;
                } catch (Exception | AssertionError notTheDemoPassword) {
                    // an administrator set up otherwise: the next one
                }
            }
            assertNotNull(confirmerToken, "no second administrator to confirm with: " + others);
        }
        return confirmerToken;
    }

    /** The administrator enrols a second factor (动态口令) with their own login. */
    private void enrolTotp(String username) throws Exception {
        String own = token(username);
        String secret = given().auth().oauth2(own).post(gateway + "/api/identity/v1/me/totp").then().statusCode(200)
                .extract().path("secret");
        given().auth().oauth2(own).contentType("application/json").body(Map.of("code", totp(secret, 0)))
                .post(gateway + "/api/identity/v1/me/totp/confirm").then().statusCode(200);
    }

    /** dsj.admin asks to set the administrator's roles: the change waits (202); its id. */
    private String askRoles(String account, List<String> roles) {
        return given().auth().oauth2(requesterToken).contentType("application/json").body(roles)
                .put(gateway + "/api/identity/v1/accounts/" + account + "/roles").then().statusCode(202)
                .extract().path("id");
    }

    /** The one change of the account waiting. */
    private String pending(String account) {
        List<String> ids = given().auth().oauth2(requesterToken).get(gateway + CHANGES + "?status=PENDING&account="
                + account).then().statusCode(200).extract().path("id");
        assertEquals(1, ids.size(), ids.toString());
        return ids.get(0);
    }

    private Map<String, Object> change(String id) {
        return given().auth().oauth2(requesterToken).get(gateway + CHANGES + "/" + id).then().statusCode(200)
                .extract().path("$");
    }

    private Map<String, Object> department(String code) {
        return given().get(gateway + "/api/identity/v1/departments/" + code).then().statusCode(200).extract()
                .path("$");
    }

    private List<String> roles(String account) {
        return given().auth().oauth2(requesterToken).get(gateway + "/api/identity/v1/accounts/" + account).then()
                .statusCode(200).extract().path("roles");
    }

    private String token(String username) throws Exception {
        return new CodeFlowClient(gateway, "gateway", "demo-gateway-secret").accessToken(username, DEMO_PASSWORD,
                "openid profile");
    }
}
