package cn.onenet.systemtests;

import static cn.onenet.systemtests.ConsolePages.DEMO_PASSWORD;
import static cn.onenet.systemtests.ConsolePages.awaitOn;
import static cn.onenet.systemtests.ConsolePages.chromium;
import static cn.onenet.systemtests.ConsolePages.logIn;
import static cn.onenet.systemtests.ConsolePages.submit;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

import cn.onenet.common.identifiers.ResidentIdNumber;

/**
 * 公民身份号码精确查找 on the accounts page in Chromium: at the counter, the number a citizen gives finds their account
 * among the many of the same name, shown masked; a part of a number is refused beside the field; the number never
 * reaches the address bar.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedSuite.class)
class IdNumberLookupConsoleTest {

    private String gateway;
    private String admin;

    @BeforeAll
    void start() throws Exception {
        gateway = SharedSuite.gateway();
        admin = new CodeFlowClient(gateway, "gateway", "demo-gateway-secret")
                .accessToken("dsj.admin", DEMO_PASSWORD, "openid profile");
    }

    private String citizen(String name, String idNumber) {
        return given().auth().oauth2(admin).contentType("application/json").body(Map.of("type", "NATURAL_PERSON",
                "displayName", name, "idNumber", idNumber, "password", DEMO_PASSWORD))
                .post(gateway + "/api/identity/v1/accounts").then().statusCode(201).extract().path("id");
    }

    private static String newIdNumber() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String first17 = String.format("330106%04d%02d%02d%03d", 1960 + r.nextInt(40), 1 + r.nextInt(12),
                1 + r.nextInt(28), r.nextInt(1000));
        return first17 + ResidentIdNumber.checkCharacter(first17);
    }

    @Test
    void theCounterFindsOneZhangWeiByTheNumberTheCitizenGives() throws Exception {
        String tag = String.valueOf(System.nanoTime() % 1_000_000);
        String idNumber = newIdNumber();
        String wanted = citizen("张伟" + tag, idNumber);
        citizen("张伟" + tag, newIdNumber());
        String masked = idNumber.substring(0, 6) + "********" + idNumber.substring(14);
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            for (String user : List.of("dsj.admin", "dsj.auditor")) {
                Page page = logIn(browser, user);
                page.navigate(gateway + "/console#/accounts");
                awaitOn(page, "#id-lookup [name=idNumber]");
                // a part of a number (the birth date and sequence) is refused beside the field, nothing shown
                page.fill("#id-lookup [name=idNumber]", idNumber.substring(6));
                submit(page, "#id-lookup", "#id-lookup [data-field=idNumber].invalid", "error");
                assertEquals(0, page.locator("#id-lookup-result tr").count(), page.textContent("main"));

                // a valid number nobody holds says so
                page.fill("#id-lookup [name=idNumber]", newIdNumber());
                page.click("#id-lookup button[type=submit]");
                awaitOn(page, "#id-lookup-none");

                page.fill("#id-lookup [name=idNumber]", idNumber);
                page.click("#id-lookup button[type=submit]");
                awaitOn(page, "#id-lookup-result table tbody tr");
                assertEquals(1, page.locator("#id-lookup-result table tbody tr").count(),
                        page.textContent("#id-lookup-result"));
                String row = page.textContent("#id-lookup-result table tbody tr");
                assertTrue(row.contains(masked) && row.contains("张伟" + tag), row);
                assertEquals(0, page.locator("#id-lookup [data-field=idNumber].invalid").count());
                assertFalse(page.textContent("main").contains(idNumber), page.textContent("main"));
                assertEquals(gateway + "/console#/accounts", page.url());
                page.click("#id-lookup-result a");
                page.waitForFunction("() => location.hash === '#/accounts/" + wanted + "'");

                page.context().close();
            }
        }
        // each of those lookups is in the audit log, the number masked
        String auditor = new CodeFlowClient(gateway, "gateway", "demo-gateway-secret")
                .accessToken("dsj.auditor", DEMO_PASSWORD, "openid profile");
        String rows = given().auth().oauth2(auditor).queryParam("type", "ACCOUNT_ID_NUMBER_LOOKUP")
                .queryParam("subject", wanted).get(gateway + "/api/identity/v1/audit").then().statusCode(200)
                .extract().asString();
        assertTrue(rows.contains(masked) && !rows.contains(idNumber), rows);
    }
}
