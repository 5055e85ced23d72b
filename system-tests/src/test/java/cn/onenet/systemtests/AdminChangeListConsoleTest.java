package cn.onenet.systemtests;

import static cn.onenet.systemtests.ConsolePages.DEMO_PASSWORD;
import static cn.onenet.systemtests.ConsolePages.answer;
import static cn.onenet.systemtests.ConsolePages.awaitOn;
import static cn.onenet.systemtests.ConsolePages.chromium;
import static cn.onenet.systemtests.ConsolePages.confirmed;
import static cn.onenet.systemtests.ConsolePages.logIn;
import static cn.onenet.systemtests.ListPastTheEndConsoleTest.leadsBackToTheLastPage;
import static cn.onenet.systemtests.ListPastTheEndConsoleTest.token;
import static cn.onenet.systemtests.ListPastTheEndConsoleTest.total;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

/**
 * The list of changes of administrators' accounts (双人复核) in Chromium: enabling a disabled administrator again waits
 * for a second administrator and is said in words (启用账户) on the account's page and on the list, where the second
 * administrator confirms it; and the list, paged with its total, leads back from a page past its end to its last page.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedSuite.class)
class AdminChangeListConsoleTest {

    private static final String CHANGES = "/api/identity/v1/admin-changes";
    private static final String ACCOUNTS = "/api/identity/v1/accounts";

    private String gateway;
    /** dsj.admin's token: the requester of every change here. */
    private String requester;
    private String department;
    /** A second administrator who decides, and its token. */
    private String second;
    private String secondToken;

    @BeforeAll
    void administrators() throws Exception {
        gateway = SharedSuite.gateway();
        requester = token("dsj.admin");
        department = given().auth().oauth2(requester).get(gateway + ACCOUNTS + "?q=dsj.admin").then().statusCode(200)
                .extract().path("[0].departmentCode");
        second = administrator("启用复核管理员");
        secondToken = token(second);
    }

    @Test
    void enablingADisabledAdministratorWaitsAndIsSaidInWordsThenConfirmedOnTheList() throws Exception {
        String holder = administrator("待启用管理员");
        String id = id(holder);
        // disabled first: asked by dsj.admin, confirmed by the second administrator
        String disable = given().auth().oauth2(requester).post(gateway + ACCOUNTS + "/" + id + "/disable").then()
                .statusCode(202).extract().path("id");
        given().auth().oauth2(secondToken).post(gateway + CHANGES + "/" + disable + "/confirm").then().statusCode(200);
        assertEquals("DISABLED", status(id));

        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page page = logIn(browser, "dsj.admin");
            page.navigate(gateway + "/console#/accounts/" + id);
            awaitOn(page, "#enable-account");
            answer(page, () -> page.click("#enable-account"), "#enable-account", "ok");
            awaitOn(page, "#notice #see-admin-change");
            assertTrue(page.textContent("#notice").contains("等待另一位管理员确认"), page.textContent("#notice"));
            awaitOn(page, "#account-admin-change");
            String waits = page.textContent("#account-admin-change");
            assertTrue(waits.contains("启用账户"), waits);
            assertFalse(waits.contains("ENABLE"), waits);
            assertEquals("DISABLED", status(id));
            List<String> pending = given().auth().oauth2(requester).get(gateway + CHANGES + "?status=PENDING&account="
                    + id).then().statusCode(200).extract().path("id");
            assertEquals(1, pending.size(), pending.toString());
            String enable = pending.get(0);

            // on the list: the kind and what it does in words, never the code; the requester may only withdraw it
            page.click("#notice #see-admin-change");
            String row = "#admin-changes tr[data-change='" + enable + "']";
            awaitOn(page, row);
            String text = page.textContent(row);
            assertTrue(text.contains("启用账户 / enable the account") && text.contains("重新启用该管理员账户")
                    && text.contains("待启用管理员") && text.contains("待复核"), text);
            assertFalse(text.contains("ENABLE") || text.contains("PENDING") || text.contains("null"), text);
            assertEquals(0, page.locator(row + " [data-action=confirm]").count(), text);
            assertEquals(1, page.locator(row + " #withdraw-" + enable).count(), text);

            // the second administrator confirms it there: the account is enabled
            Page decider = logIn(browser, second);
            decider.navigate(gateway + "/console#/admin-changes?account=" + id);
            confirmed(decider, row + " #confirm-" + enable, "ok");
            awaitOn(decider, row + " [data-status=APPLIED]");
            assertTrue(decider.textContent(row).contains("启用账户"), decider.textContent(row));
            assertEquals("ACTIVE", status(id));
        }
    }

    @Test
    void aPagePastTheEndOfTheChangesLeadsBackToTheirLastPageFilteredOrNot() throws Exception {
        // one change at least, waiting, of an administrator of its own
        String holder = id(administrator("翻页管理员"));
        given().auth().oauth2(requester).contentType("application/json").body(List.of("admin", "operator"))
                .put(gateway + ACCOUNTS + "/" + holder + "/roles").then().statusCode(202);
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page page = logIn(browser, "dsj.auditor");
            for (String filter : new String[] {"", "status=PENDING&", "account=" + holder + "&"}) {
                long changes = total(requester, CHANGES + "?size=1&" + filter);
                assertTrue(changes > 0, filter);
                leadsBackToTheLastPage(page, "admin-changes", filter, "no-admin-changes", changes,
                        "#admin-changes tbody tr");
            }
        }
    }

    /**
     * A new administrator of dsj.admin's department with the demo password, its login name: created at once while
     * dsj.admin is the only administrator who can act, else confirmed by the second administrator (or, while there is
     * none yet, by another administrator of the tests).
     */
    private String administrator(String name) throws Exception {
        String username = "dsj.admin" + System.nanoTime() % 1_000_000;
        var created = given().auth().oauth2(requester).contentType("application/json")
                .body(Map.of("type", "CIVIL_SERVANT", "username", username, "displayName", name, "departmentCode",
                        department, "roles", List.of("admin"), "password", DEMO_PASSWORD))
                .post(gateway + ACCOUNTS).then().extract();
        if (created.statusCode() != 201) {
            assertEquals(202, created.statusCode(), created.asString());
            String change = created.path("id");
            given().auth().oauth2(secondToken != null ? secondToken : anotherAdministrator())
                    .post(gateway + CHANGES + "/" + change + "/confirm").then().statusCode(200);
        }
        return username;
    }

    /** The token of an enabled administrator other than dsj.admin who signs in with the demo password. */
    private String anotherAdministrator() {
        List<String> others = given().auth().oauth2(requester).get(gateway + ACCOUNTS
                + "?role=admin&status=enabled&size=200").then().statusCode(200).extract()
                .path("username.findAll { it != 'dsj.admin' }");
        for (String other : others) {
            try {
                return token(other);
            } catch (Exception | AssertionError setUpOtherwise) {
                // not the demo password: the next one
            }
        }
        throw new AssertionError("no administrator but dsj.admin to confirm with: " + others);
    }

    private String id(String username) {
        return given().auth().oauth2(requester).get(gateway + ACCOUNTS + "?q=" + username).then().statusCode(200)
                .extract().path("find { it.username == '" + username + "' }.id");
    }

    private String status(String id) {
        return given().auth().oauth2(requester).get(gateway + ACCOUNTS + "/" + id).then().statusCode(200).extract()
                .path("status");
    }
}
