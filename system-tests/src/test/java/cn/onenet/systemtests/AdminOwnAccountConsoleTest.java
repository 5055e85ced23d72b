package cn.onenet.systemtests;

import static cn.onenet.systemtests.ConsolePages.awaitOn;
import static cn.onenet.systemtests.ConsolePages.chromium;
import static cn.onenet.systemtests.ConsolePages.logIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

/**
 * The console in Chromium for an administrator on their own account page: the identity service refuses changes to
 * one's own roles, real-name level, second factor and contacts (四眼原则), so the page offers none of them and says that
 * another administrator does them; another account's page still offers them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedSuite.class)
class AdminOwnAccountConsoleTest {

    private static final String REFUSED_CONTROLS = "#account-roles, #account-level, #account-counter, #reset-totp";

    /** Opens the account {@code username} from the account list, searched by its login name. */
    private static void openAccount(Page page, String username) {
        page.navigate(SharedSuite.gateway() + "/console#/accounts?q=" + username);
        String link = "main table a:text-is('" + username + "')";
        awaitOn(page, link);
        page.click(link);
        awaitOn(page, "#account-name");
    }

    @Test
    void anAdministratorsOwnAccountPageOffersNoneOfTheChangesAnotherAdministratorDoes() {
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page page = logIn(browser, "dsj.admin");

            openAccount(page, "dsj.admin");
            assertEquals(0, page.locator(REFUSED_CONTROLS).count(), page.textContent("main"));
            String note = page.textContent("#own-account");
            assertTrue(note.contains("另一位管理员办理") && note.contains("Another administrator"), note);
            assertTrue(page.locator("#own-account p[lang=en]").textContent().startsWith("Another administrator"));
            // what the service allows on one's own account stays: the status section
            assertEquals(1, page.locator("#disable-account").count(), page.textContent("main"));

            // another staff account: the controls are there, without the note
            openAccount(page, "dsj.auditor");
            assertEquals(1, page.locator("#account-roles").count(), page.textContent("main"));
            assertEquals(1, page.locator("#account-level").count(), page.textContent("main"));
            assertEquals(1, page.locator("#account-counter").count(), page.textContent("main"));
            assertEquals(0, page.locator("#own-account").count(), page.textContent("main"));
        }
    }
}
