package cn.onenet.systemtests;

import static cn.onenet.systemtests.ConsolePages.DEMO_PASSWORD;
import static cn.onenet.systemtests.ConsolePages.answer;
import static cn.onenet.systemtests.ConsolePages.awaitOn;
import static cn.onenet.systemtests.ConsolePages.chromium;
import static cn.onenet.systemtests.ConsolePages.logIn;
import static cn.onenet.systemtests.ConsolePages.submit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

/**
 * A form sent after the session ended (logged out elsewhere, expired) in Chromium: the page keeps what was typed, the
 * login link leads through the login page back to the form, which shows it again with a notice; secrets are not kept,
 * a draft is gone once sent or discarded, and another person logging in on the same tab does not get it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedSuite.class)
class FormDraftConsoleTest {

    private static final String RESTORED = "已恢复您登录前填写的内容";
    /** What the tab keeps of its drafts (sessionStorage), as one string. */
    private static final String DRAFTS = "() => Object.keys(sessionStorage).filter(k => k.startsWith('console-draft:'))"
            + ".map(k => k + '=' + sessionStorage.getItem(k)).join('\\n')";

    @Test
    void aCatalogueEntryTypedWhileTheSessionEndedComesBackAfterTheNextLoginAndIsGoneOnceSaved() {
        String gateway = SharedSuite.gateway();
        String name = "不动产预告登记信息" + System.nanoTime() % 100_000;
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page page = logIn(browser, "bdc.operator");
            page.navigate(gateway + "/console#/entries/new");
            awaitOn(page, "#entry-form");
            page.fill("#entry-form [name=name]", name);
            page.fill("#entry-form [name=abstract]", "全省不动产预告登记的设立和注销信息");
            page.selectOption("#entry-form [name=resourceClass]", "BASE");
            page.fill("#entry-form [name=category]", "人口");
            page.fill("#entry-form [name=itemCode]", "01");
            page.fill("#entry-form [name=catalogCode]", "001");
            page.fill("#entry-form [name=dataCategory]", "不动产登记信息");
            page.fill("#entry-form [name=keywords]", "抵押、不动产");
            page.selectOption("#entry-form [name=updateCycle]", "WEEKLY");
            page.fill("tr.item [name=item-code]", "BDCDYH");
            page.fill("tr.item [name=item-name]", "不动产单元号");
            page.fill("tr.item [name=item-length]", "28");
            page.click("#add-item");
            page.fill("tr.item:nth-child(2) [name=item-code]", "DYQR");
            page.fill("tr.item:nth-child(2) [name=item-name]", "抵押权人");
            page.fill("tr.item:nth-child(2) [name=item-length]", "200");
            page.check("tr.item:nth-child(2) [name=item-sensitive]");
            page.fill("#entry-form [name=keyItem]", "BDCDYH");

            // the session ends meanwhile (its cookies gone, as after logging out in another tab); saving is refused
            page.context().clearCookies();
            answer(page, () -> page.click("#save-entry"), "#save-entry", "error");
            String notice = page.textContent("#notice");
            assertTrue(notice.contains("登录已失效") && notice.contains("重新登录后恢复"), notice);

            // the notice's link goes through the login page and back to the form, filled in as it was
            logInAgain(page, "bdc.operator");
            assertEquals(gateway + "/console#/entries/new", page.url());
            awaitOn(page, "#entry-form .draft-restored");
            assertTrue(page.textContent("#entry-form .draft-restored").contains(RESTORED),
                    page.textContent("#entry-form"));
            assertEquals(name, page.inputValue("#entry-form [name=name]"));
            assertEquals("全省不动产预告登记的设立和注销信息", page.inputValue("#entry-form [name=abstract]"));
            assertEquals("WEEKLY", page.inputValue("#entry-form [name=updateCycle]"));
            assertEquals(2, page.locator("tr.item").count(), page.textContent("#entry-form"));
            assertEquals("DYQR", page.inputValue("tr.item:nth-child(2) [name=item-code]"));
            assertTrue(page.isChecked("tr.item:nth-child(2) [name=item-sensitive]"));
            assertFalse(page.isChecked("tr.item:nth-child(1) [name=item-sensitive]"));

            // sent: saved, and the draft is gone (the form opened again is empty)
            submit(page, "#entry-form", "#entry-name", "ok");
            assertEquals(name, page.textContent("#entry-name"));
            assertEquals("", page.evaluate(DRAFTS));
            page.navigate(gateway + "/console#/entries/new");
            awaitOn(page, "#entry-form");
            assertEquals(0, page.locator(".draft-restored").count(), page.textContent("#entry-form"));
            assertEquals("", page.inputValue("#entry-form [name=name]"));
        }
    }

    @Test
    void aPasswordIsNeverKeptADiscardedDraftIsGoneAndAnotherPersonDoesNotGetIt() {
        String gateway = SharedSuite.gateway();
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page page = logIn(browser, "dsj.auditor");
            page.navigate(gateway + "/console#/account");
            awaitOn(page, "#contact-form");
            page.fill("#contact-form [name=currentPassword]", DEMO_PASSWORD);
            page.fill("#contact-form [name=phone]", "13800571234");
            page.context().clearCookies();
            answer(page, () -> page.click("#contact-form button[type=submit]"), "#contact-form", "error");
            String kept = String.valueOf(page.evaluate(DRAFTS));
            assertTrue(kept.contains("13800571234"), kept);
            assertFalse(kept.contains(DEMO_PASSWORD) || kept.contains("currentPassword"), kept);

            logInAgain(page, "dsj.auditor");
            awaitOn(page, "#contact-form .draft-restored");
            assertEquals("13800571234", page.inputValue("#contact-form [name=phone]"));
            assertEquals("", page.inputValue("#contact-form [name=currentPassword]"));

            // discarded: the form as it was before, nothing kept
            page.click("#contact-form-discard-draft");
            page.waitForFunction("() => { const f = document.querySelector('#contact-form');"
                    + " return f && !f.querySelector('.draft-restored') && f.elements.phone.value === ''; }");
            assertEquals("", page.evaluate(DRAFTS));

            // typed again and refused the same way, but another person logs in on this tab: it is not theirs to see
            page.fill("#contact-form [name=phone]", "13800579999");
            page.context().clearCookies();
            answer(page, () -> page.click("#contact-form button[type=submit]"), "#contact-form", "error");
            assertTrue(String.valueOf(page.evaluate(DRAFTS)).contains("13800579999"));
            logInAgain(page, "dsj.reviewer");
            assertEquals(gateway + "/console#/account", page.url());
            awaitOn(page, "#contact-form");
            assertEquals(0, page.locator(".draft-restored").count(), page.textContent("#contact-form"));
            assertEquals("", page.inputValue("#contact-form [name=phone]"));
            assertEquals("", page.evaluate(DRAFTS));
        }
    }

    /** Follows the notice's 重新登录 link: through the login page, back to the console. */
    private static void logInAgain(Page page, String username) {
        String gateway = SharedSuite.gateway();
        awaitOn(page, "#notice #log-in-again");
        page.click("#notice #log-in-again");
        page.waitForURL(url -> url.startsWith(gateway + "/oidc/"), new Page.WaitForURLOptions().setTimeout(30_000));
        page.fill("#username", username);
        page.fill("#password", DEMO_PASSWORD);
        page.click("#submit");
        page.waitForURL(url -> url.startsWith(gateway + "/console"), new Page.WaitForURLOptions().setTimeout(30_000));
        page.waitForSelector("#nav li");
    }
}
