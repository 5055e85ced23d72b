package cn.onenet.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static cn.onenet.systemtests.ConsolePages.awaitOn;
import static cn.onenet.systemtests.ConsolePages.chromium;
import static cn.onenet.systemtests.ConsolePages.logIn;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.microsoft.playwright.APIRequestContext;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.LoadState;

/**
 * The deployment settings the console reads instead of assuming them, in Chromium against the {@link SharedSuite}:
 * identity-service's longest agent authorisation (P1Y by default) as the limit of the delegation form's last day, and
 * the exchange's real-name level for the citizens' own views, asked once per browser session. Both settings are
 * reached through the gateway with the console's session and refused without one.
 */
@ExtendWith(SharedSuite.class)
class SettingsConsoleTest {

    private static final String LI_SI = "33010619920708002X";

    @Test
    void theDelegationFormOffersNoLastDayIdentityWouldRefuseAndSaysTheLimit() {
        String gateway = SharedSuite.gateway();
        LocalDate today = LocalDate.parse(ConsolePages.beijingToday());
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page page = logIn(browser, LI_SI);
            page.navigate(gateway + "/console#/account");
            // a citizen's form is for a legal representative, folded until opened
            awaitOn(page, "#as-representative summary");
            page.click("#as-representative summary");
            awaitOn(page, "#delegation-form [name=validTo]");
            String lastDay = today.plusYears(1).toString();
            assertEquals(lastDay, page.getAttribute("#delegation-form [name=validTo]", "max"));
            assertEquals(lastDay, page.inputValue("#delegation-form [name=validTo]"));
            String limit = page.textContent("#delegation-limit");
            assertTrue(limit.contains("授权期限最长 1 年") && limit.contains("最晚为 " + lastDay + "（含当日）")
                    && limit.contains("at most 1 year"), limit);
            // the field's description is the limit, so a screen reader reads it with the field
            assertEquals(Boolean.TRUE, page.evaluate("() => { const f = document.querySelector('#delegation-form "
                    + "[name=validTo]'); return f.getAttribute('aria-describedby').split(' ').some((id) => { "
                    + "const d = document.getElementById(id); return d !== null "
                    + "&& d.contains(document.getElementById('delegation-limit')); }); }"));

            // a later first day moves the last day with it, as identity's rule counts it
            LocalDate from = today.plusDays(45);
            page.fill("#delegation-form [name=validFrom]", from.toString());
            page.dispatchEvent("#delegation-form [name=validFrom]", "change");
            String later = from.plusYears(1).toString();
            page.waitForFunction("d => document.querySelector('#delegation-form [name=validTo]').max === d", later);
            assertTrue(page.textContent("#delegation-limit").contains("自 " + from + " 起，截止日期最晚为 " + later),
                    page.textContent("#delegation-limit"));
        }
    }

    @Test
    void theSettingsAreRoutedForASignedInUserAndRefusedWithoutASession() {
        String gateway = SharedSuite.gateway();
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page page = logIn(browser, LI_SI);
            @SuppressWarnings("unchecked")
            Map<String, Object> identity = (Map<String, Object>) page.evaluate("() => fetch('/api/identity/v1/settings',"
                    + " { headers: { Accept: 'application/json' } }).then(r => r.json())");
            assertEquals("P1Y", identity.get("delegationMaxPeriod"), identity.toString());
            @SuppressWarnings("unchecked")
            Map<String, Object> exchange = (Map<String, Object>) page.evaluate("() => fetch('/api/exchange/v1/settings',"
                    + " { headers: { Accept: 'application/json' } }).then(r => r.json())");
            assertEquals("urn:onenet:loa:3", exchange.get("citizensViewMinAcr"), exchange.toString());
            assertEquals(3, ((Number) exchange.get("citizensViewMinLevel")).intValue(), exchange.toString());

            APIRequestContext anonymous = playwright.request().newContext();
            for (String path : List.of("/api/identity/v1/settings", "/api/exchange/v1/settings")) {
                var answer = anonymous.get(gateway + path);
                assertEquals(401, answer.status(), path + ": " + answer.text());
                assertTrue(answer.headers().get("content-type").startsWith("application/problem+json"), path);
            }
            anonymous.dispose();
        }
    }

    @Test
    void theCitizensViewsLevelIsAskedOncePerBrowserSession() {
        String gateway = SharedSuite.gateway();
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page page = logIn(browser, LI_SI);
            List<String> asked = new CopyOnWriteArrayList<>();
            page.onRequest(r -> {
                if (r.url().contains("/api/exchange/v1/settings")) {
                    asked.add(r.url());
                }
            });
            for (String section : List.of("#/my-data", "#/my-complaints", "#/my-notices", "#/search",
                    "#/my-corrections")) {
                page.navigate(gateway + "/console" + section);
                awaitOn(page, "main h2");
                page.waitForLoadState(LoadState.NETWORKIDLE);
                if (section.startsWith("#/my-")) {
                    awaitOn(page, "#level-needed");
                    assertTrue(page.textContent("#level-needed").contains("需要实名认证等级 L3"),
                            page.textContent("main"));
                }
            }
            page.reload();
            page.waitForLoadState(LoadState.NETWORKIDLE);
            awaitOn(page, "#level-needed");
            // the settings came from this session's first answer, kept for it: no section nor the reload asked again
            Object kept = page.evaluate("() => sessionStorage.getItem('onenet.exchangeSettings')");
            assertTrue(kept != null && kept.toString().contains("urn:onenet:loa:3"), String.valueOf(kept));
            assertTrue(asked.size() <= 1, asked.toString());
        }
    }
}
