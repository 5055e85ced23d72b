package cn.onenet.systemtests;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static cn.onenet.systemtests.ConsolePages.awaitOn;
import static cn.onenet.systemtests.ConsolePages.chromium;
import static cn.onenet.systemtests.ConsolePages.logIn;
import static cn.onenet.systemtests.ConsolePages.submit;
import static cn.onenet.systemtests.ConsolePages.DEMO_PASSWORD;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.FilePayload;

import cn.onenet.common.identifiers.CreditCode;
import cn.onenet.common.identifiers.ResidentIdNumber;

/**
 * 法人库 and 登记企业 in Chromium against the running suite: an administrator loads the legal-person reference as a CSV
 * file through the console, then a citizen signed in at real-name level L3 registers the enterprise the reference
 * names them the legal representative of, and the administrator sees it registered and, after a load turning it to
 * 吊销, the recorded change and the status on the enterprise's account (still enabled). A file saved in GBK (Excel's
 * default on a Chinese Windows) loads with its names as written; a file in neither UTF-8 nor GBK is refused on the
 * page before anything is sent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedSuite.class)
class EnterpriseConsoleTest {

    private static final String HEADER = "uscc,name,representativeIdNumber,status\n";

    private String gateway;
    private String admin;

    @BeforeAll
    void start() throws Exception {
        gateway = SharedSuite.gateway();
        admin = new CodeFlowClient(gateway, "gateway", "demo-gateway-secret")
                .accessToken("dsj.admin", DEMO_PASSWORD, "openid profile");
    }

    @Test
    void anAdministratorLoadsTheReferenceAndACitizenAtLevelThreeRegistersTheEnterprise() {
        String idNumber = citizenAtLevelThree("测试企业代表");
        String first17 = String.format("91330106%09d", ThreadLocalRandom.current().nextInt(1_000_000_000));
        String uscc = first17 + CreditCode.checkCharacter(first17);
        String name = "测试登记科技有限公司（滨江）";
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page adminPage = openReference(logIn(browser, "dsj.admin"));

            // A bad row refuses the whole file; the service's message is shown beside the file field.
            upload(adminPage, HEADER + uscc + ",\"" + name + "\"," + idNumber + ",营业\n");
            submit(adminPage, "#legal-person-upload", "#legal-person-upload [data-field=rows].invalid", "error");
            assertTrue(adminPage.textContent("#legal-person-upload [data-field=rows] .error").contains("status"),
                    adminPage.textContent("#legal-person-upload"));

            upload(adminPage, HEADER + uscc + ",\"" + name + "\"," + idNumber + ",存续\n");
            submit(adminPage, "#legal-person-upload", "#legal-person-load dl", "ok");
            String report = adminPage.textContent("#legal-person-load");
            assertTrue(report.contains("新增 / added1") && report.contains("替换 / replaced0"), report);
            String row = "#legal-person-rows tr:has-text('" + uscc + "')";
            awaitOn(adminPage, row);
            assertTrue(adminPage.textContent(row).contains("存续") && adminPage.textContent(row).contains("否"),
                    adminPage.textContent(row));
            assertFalse(adminPage.textContent("main").contains(idNumber), "the representative's ID number is shown");

            // The citizen registers it: a name other than the reference's is refused beside the field.
            Page citizen = logIn(browser, idNumber);
            citizen.click("#nav a[href='#/enterprises']");
            awaitOn(citizen, "#enterprise-form");
            awaitOn(citizen, "#no-enterprises");
            assertEquals(0, citizen.locator("#enterprise-level").count(), citizen.textContent("main"));
            citizen.fill("#enterprise-form [name=uscc]", uscc);
            citizen.fill("#enterprise-form [name=name]", "测试别名科技有限公司");
            citizen.fill("#enterprise-form [name=englishName]", "Test Registration Technology (Binjiang)");
            submit(citizen, "#enterprise-form", "#enterprise-form [data-field=name].invalid", "error");
            citizen.fill("#enterprise-form [name=name]", "测试登记科技有限公司 (滨江)");
            String mine = "#my-enterprises tr:has-text('" + uscc + "')";
            submit(citizen, "#enterprise-form", mine, "ok");
            assertTrue(citizen.textContent("#notice").contains(uscc), citizen.textContent("#notice"));
            assertTrue(citizen.textContent(mine).contains(name)
                    && citizen.textContent(mine).contains("Test Registration Technology (Binjiang)")
                    && citizen.textContent(mine).contains("法人库"), citizen.textContent(mine));
            // Registered once: a second registration is the service's conflict.
            citizen.fill("#enterprise-form [name=uscc]", uscc);
            citizen.fill("#enterprise-form [name=name]", name);
            submit(citizen, "#enterprise-form", "#enterprise-form", "error");
            assertTrue(citizen.textContent("#notice").contains("409"), citizen.textContent("#notice"));

            // The administrator sees the account; a load turning it to 吊销 is recorded and shown on the account.
            // the same address: read again
            adminPage.reload();
            awaitOn(adminPage, "#legal-person-filter");
            awaitOn(adminPage, row);
            assertTrue(adminPage.textContent(row).contains("是"), adminPage.textContent(row));
            upload(adminPage, HEADER + uscc + ",\"" + name + "\"," + idNumber + ",吊销\n");
            submit(adminPage, "#legal-person-upload", "#legal-person-load dl", "ok");
            assertTrue(adminPage.textContent("#legal-person-load").contains(uscc),
                    adminPage.textContent("#legal-person-load"));
            String change = "#legal-person-changes tr:has-text('" + uscc + "')";
            awaitOn(adminPage, change);
            assertTrue(adminPage.textContent(change).contains("吊销")
                    && adminPage.textContent(change).contains("账户未停用"), adminPage.textContent(change));
            String enterpriseId = given().auth().oauth2(admin).queryParam("q", uscc).get(gateway
                    + "/api/identity/v1/accounts").then().statusCode(200).extract().path("[0].id");
            adminPage.navigate(gateway + "/console#/accounts/" + enterpriseId);
            awaitOn(adminPage, "#account-registry-status");
            assertTrue(adminPage.textContent("#account-registry-status").contains("吊销"),
                    adminPage.textContent("main"));
            assertTrue(adminPage.textContent("#account-status").contains("正常"), adminPage.textContent("main"));
            assertTrue(adminPage.textContent("main").contains("Test Registration Technology (Binjiang)"),
                    adminPage.textContent("main"));
            // how its level was reached, in words: checked against the reference
            assertTrue(adminPage.textContent("main").contains("L3 · 法人库比对"), adminPage.textContent("main"));
        }
    }

    @Test
    void aGbkFileLoadsWithItsNamesAndAFileInNeitherEncodingIsRefusedBeforeItIsSent() {
        String idNumber = citizenAtLevelThree("编码测试代表");
        String uscc = newUscc();
        String name = "西湖编码数据服务有限公司";
        String refusedUscc = newUscc();
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page adminPage = openReference(logIn(browser, "dsj.admin"));
            List<String> sent = new CopyOnWriteArrayList<>();
            adminPage.onRequest(request -> {
                if ("POST".equals(request.method()) && request.url().endsWith("/legal-person-registry")) {
                    sent.add(request.headerValue("content-type"));
                }
            });

            // Excel on a Chinese Windows saves CSV in GBK: loaded with its names as written, 存续 read as 存续
            upload(adminPage, (HEADER + uscc + "," + name + "," + idNumber + ",存续\n").getBytes(Charset.forName("GBK")));
            submit(adminPage, "#legal-person-upload", "#legal-person-load dl", "ok");
            assertEquals(List.of(name), registryNames(uscc));
            awaitOn(adminPage, "#legal-person-rows tr:has-text('" + name + "')");
            assertEquals(1, sent.size(), sent.toString());

            // bytes that are neither UTF-8 nor GBK: said beside the file field, nothing sent, nothing stored
            byte[] neither = (HEADER + refusedUscc + ",X," + idNumber + ",IN_BUSINESS\n")
                    .getBytes(StandardCharsets.US_ASCII);
            neither[HEADER.length() + refusedUscc.length() + 1] = (byte) 0xFF;
            upload(adminPage, neither);
            submit(adminPage, "#legal-person-upload", "#legal-person-upload [data-field=rows].invalid", "error");
            String said = adminPage.textContent("#legal-person-upload [data-field=rows] .error");
            assertTrue(said.contains("UTF-8") && said.contains("GBK") && said.contains("未载入"), said);
            assertEquals(1, sent.size(), sent.toString());
            assertEquals(List.of(), registryNames(refusedUscc));
        }
    }

    /** The names the reference holds for the code. */
    private List<String> registryNames(String uscc) {
        return given().auth().oauth2(admin).queryParam("uscc", uscc).get(gateway
                + "/api/identity/v1/legal-person-registry").then().statusCode(200).extract().path("name");
    }

    private static String newUscc() {
        String first17 = String.format("91330106%09d", ThreadLocalRandom.current().nextInt(1_000_000_000));
        return first17 + CreditCode.checkCharacter(first17);
    }

    @Test
    void theReferencePageIsForAdministratorsAndAuditorsOnly() {
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page auditor = openReference(logIn(browser, "dsj.auditor"));
            // auditors read; only administrators load
            assertEquals(0, auditor.locator("#legal-person-upload").count(), auditor.textContent("main"));
            Page reviewer = logIn(browser, "dsj.reviewer");
            assertEquals(0, reviewer.locator("#nav a[href='#/legal-persons']").count(), reviewer.textContent("#nav"));
            assertEquals(0, reviewer.locator("#nav a[href='#/enterprises']").count(), reviewer.textContent("#nav"));
        }
    }

    private Page openReference(Page page) {
        page.click("#nav a[href='#/legal-persons']");
        awaitOn(page, "#legal-person-filter");
        return page;
    }

    private static void upload(Page page, String csv) {
        upload(page, csv.getBytes(StandardCharsets.UTF_8));
    }

    private static void upload(Page page, byte[] csv) {
        page.setInputFiles("#legal-person-upload [name=file]", new FilePayload("reference.csv", "text/csv", csv));
    }

    /** A citizen account of the test's own at real-name level L3, with the demo password; returns its ID number. */
    private String citizenAtLevelThree(String name) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String first17 = String.format("330106%04d%02d%02d%03d", 1970 + random.nextInt(30), 1 + random.nextInt(12),
                1 + random.nextInt(28), random.nextInt(1000));
        String idNumber = first17 + ResidentIdNumber.checkCharacter(first17);
        String id = given().auth().oauth2(admin).contentType("application/json").body(Map.of("type",
                "NATURAL_PERSON", "displayName", name, "idNumber", idNumber, "password", DEMO_PASSWORD))
                .post(gateway + "/api/identity/v1/accounts").then().statusCode(201).extract().path("id");
        given().auth().oauth2(admin).contentType("application/json").body(Map.of("level", 3, "method",
                "population-register", "evidence", name)).post(gateway + "/api/identity/v1/accounts/" + id
                        + "/level").then().statusCode(200);
        return idNumber;
    }
}
