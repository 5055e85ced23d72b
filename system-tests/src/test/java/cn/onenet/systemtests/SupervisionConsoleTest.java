package cn.onenet.systemtests;

import static cn.onenet.systemtests.ConsolePages.DEMO_PASSWORD;
import static cn.onenet.systemtests.ConsolePages.awaitOn;
import static cn.onenet.systemtests.ConsolePages.chromium;
import static cn.onenet.systemtests.ConsolePages.clientCredentials;
import static cn.onenet.systemtests.ConsolePages.demoGrantResource;
import static cn.onenet.systemtests.ConsolePages.logIn;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

import io.restassured.response.Response;

/**
 * The supervision pages in Chromium against the {@link SharedSuite}: the 主管部门's compliance reports per
 * department, the exchange's (条例 Arts. 38–41, with the switch for the regions below) beside the catalogue's (Arts.
 * 16–17), downloaded as CSV through the console's session, the switch taking both down to the regions below, and
 * the datasets' freshness against their declared update cycle (更新周期).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedSuite.class)
class SupervisionConsoleTest {

    /** 公安厅, the provider of 居民户籍信息, and 张三, a demo citizen. */
    private static final String POLICE = "11330000002481020A";
    private static final String ZHANG_SAN = "33010619850312001X";

    private String gateway;

    @BeforeAll
    void start() {
        gateway = SharedSuite.gateway();
    }

    /**
     * The exchange files its demo requests once its replica holds the demo catalogue, which may be after the suite
     * answers: the page is read again (at most a minute) until the report has its rows.
     */
    private static void awaitReport(Page page) {
        for (int attempt = 0; attempt < 30; attempt++) {
            awaitOn(page, "#report-departments, #report-none");
            if (page.locator("#report-departments").count() > 0) {
                return;
            }
            page.waitForTimeout(2000);
            page.reload();
        }
        awaitOn(page, "#report-departments");
    }

    @Test
    void theAuthorityReadsAndDownloadsTheComplianceReportAnOperatorIsNotOfferedIt() throws Exception {
        // 张三 asks 公安厅 to correct his name in 居民户籍信息: its row counts the correction request
        String zhangSan = new CodeFlowClient(gateway, "gateway", "demo-gateway-secret").accessToken(ZHANG_SAN,
                DEMO_PASSWORD, "openid profile id_number");
        String resource = demoGrantResource(clientCredentials("gat-population-system", "demo-gat-population-secret"));
        given().auth().oauth2(zhangSan).contentType("application/json").body(Map.of("resourceCode", resource,
                "item", "XM", "correctValue", "张三", "description", "户籍登记姓名有误（合规报告）"))
                .post(gateway + "/api/exchange/v1/me/corrections").then().statusCode(201);
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page reviewer = logIn(browser, "dsj.reviewer");
            reviewer.navigate(gateway + "/console#/compliance");
            // the demo's provincial requests and grants: a row per provider department of the province
            awaitReport(reviewer);
            assertTrue(reviewer.textContent("#report-scope").contains("330000"), reviewer.textContent("#report-scope"));
            assertTrue(reviewer.textContent("#report-departments").contains("浙江省"),
                    reviewer.textContent("#report-departments"));
            String police = reviewer.locator("#report-departments tr", new Page.LocatorOptions()
                    .setHas(reviewer.locator("span[title='" + POLICE + "']"))).textContent();
            assertTrue(police.contains("收到 / received"), police);
            Download csv = reviewer.waitForDownload(() -> reviewer.click("#report-csv"));
            String text = Files.readString(csv.path(), StandardCharsets.UTF_8);
            assertTrue(text.contains("部门代码 departmentCode"), text);
            assertTrue(text.contains("收到更正补充申请 corrections.received"), text);
            assertTrue(text.lines().count() > 1, text);

            // the catalogue's report beside it: the demo catalogue's submissions and reviews in the province
            awaitOn(reviewer, "#catalog-report-departments");
            // side by side (the layout is the style sheet's: the Content-Security-Policy drops style attributes)
            assertEquals("flex", reviewer.evaluate("() => getComputedStyle(document.getElementById('reports')).display"));
            assertTrue(reviewer.textContent("#catalog-report-scope").contains("330000"),
                    reviewer.textContent("#catalog-report-scope"));
            assertTrue(reviewer.textContent("#catalog-report-departments").contains("浙江省"),
                    reviewer.textContent("#catalog-report-departments"));
            Download catalogCsv = reviewer.waitForDownload(() -> reviewer.click("#catalog-report-csv"));
            String catalogText = Files.readString(catalogCsv.path(), StandardCharsets.UTF_8);
            assertTrue(catalogText.contains("报送 submissions"), catalogText);
            assertTrue(catalogText.lines().count() > 1, catalogText);

            // the switch takes the exchange's report down to the regions below, each row with its region
            reviewer.check("#include-subregions");
            reviewer.click("#report-filter button[type=submit]");
            reviewer.waitForFunction("() => (document.querySelector('#report-scope') || {}).textContent"
                    + "?.includes('含下级区划')");
            assertTrue(reviewer.url().contains("includeSubregions=true"), reviewer.url());
            assertTrue(reviewer.isChecked("#include-subregions"));
            assertTrue(reviewer.textContent("#report-departments").contains("330000"),
                    reviewer.textContent("#report-departments"));

            // an admin (who runs the platform, not the 主管部门) reads both reports, with the switch, and decides nothing
            Page admin = logIn(browser, "dsj.admin");
            admin.navigate(gateway + "/console#/compliance");
            awaitOn(admin, "#catalog-report");
            admin.waitForSelector("#exchange-report #report-scope");
            assertTrue(admin.textContent("#report-scope").contains("全部 / all"), admin.textContent("#report-scope"));
            assertEquals(0, admin.locator("#report-error").count(), admin.textContent("#exchange-report"));
            assertEquals(1, admin.locator("#include-subregions").count());

            // a department's operator sees no compliance section and is sent on from its address
            Page operator = logIn(browser, "gat.operator");
            operator.navigate(gateway + "/console#/compliance");
            awaitOn(operator, "#nav");
            assertEquals(0, operator.locator("#nav a[href='#/compliance']").count(), operator.textContent("#nav"));
            // its own datasets' freshness
            operator.navigate(gateway + "/console#/datasets");
            awaitOn(operator, "#datasets");
            assertTrue(operator.textContent("#datasets").contains("居民户籍信息"), operator.textContent("#datasets"));
        }
    }

    /** 浙江省民政厅: demo entries, and no staff of its own in the demo register. */
    private static final String CIVIL_AFFAIRS = "11330000002481090H";

    /**
     * 民政厅 renamed in the department register (机构改革) after its entries were drafted: the catalogue's report lists
     * each draft that names the provider otherwise, which the 主管部门 reads in words and opens from the report. The
     * register's name is put back afterwards.
     */
    @Test
    void theCatalogueReportListsTheDraftsNamingTheirProviderOtherwiseThanTheRegister() throws Exception {
        String admin = token("dsj.admin");
        String department = gateway + "/api/identity/v1/departments/" + CIVIL_AFFAIRS;
        Map<String, Object> registered = given().get(department).then().statusCode(200).extract().jsonPath().getMap("$");
        String before = (String) registered.get("name");
        String renamed = before + "（浙江省老龄工作委员会办公室）";
        rename(admin, department, registered, renamed, "机构改革：加挂老龄工作委员会办公室牌子");
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            List<Map<String, Object>> findings = given().auth().oauth2(token("dsj.reviewer"))
                    .get(gateway + "/api/catalog/v1/compliance-report").then().statusCode(200).extract().jsonPath()
                    .getList("providerNameFindings.findAll { it.departmentCode == '" + CIVIL_AFFAIRS + "' }");
            assertTrue(!findings.isEmpty(), "no finding of the renamed department's drafts");
            Map<String, Object> finding = findings.get(0);
            String anchor = "a.finding-entry[href='#/entries/" + finding.get("entryId") + "']";
            String link = "#catalog-report-findings " + anchor;

            Page reviewer = logIn(browser, "dsj.reviewer");
            reviewer.navigate(gateway + "/console#/compliance");
            awaitOn(reviewer, link);
            String row = reviewer.locator("#catalog-report-findings tr", new Page.LocatorOptions()
                    .setHas(reviewer.locator(anchor))).textContent();
            assertTrue(row.contains((String) finding.get("name")) && row.contains(before) && row.contains(renamed),
                    row);
            assertTrue(reviewer.textContent("#catalog-report").contains("提供方名称与部门名录不符的草稿"),
                    reviewer.textContent("#catalog-report"));
            reviewer.click(link);
            awaitOn(reviewer, "#entry-name");
            assertEquals(finding.get("name"), reviewer.textContent("#entry-name"));
        } finally {
            Map<String, Object> now = given().get(department).then().statusCode(200).extract().jsonPath().getMap("$");
            rename(admin, department, now, before, "机构改革方案调整，恢复原名称");
        }
    }

    /** Changes a department's name in the register, its English name, parent and kind as they are. */
    private static void rename(String admin, String department, Map<String, Object> current, String name,
            String reason) {
        Map<String, Object> change = new HashMap<>();
        change.put("name", name);
        change.put("nameEn", current.get("nameEn"));
        change.put("parentCode", current.get("parentCode"));
        change.put("kind", current.get("kind"));
        change.put("reason", reason);
        given().auth().oauth2(admin).contentType("application/json")
                .header("If-Match", String.valueOf(current.get("version"))).body(change).put(department).then()
                .statusCode(200);
    }

    /** 杭州市西湖区民政局, a county's department (330106) of the demo register, which has no demo entries. */
    private static final String XIHU_CIVIL = "11330106002511010H";

    @Test
    void theSwitchTakesTheCatalogueReportOfACityDownToItsCounties() throws Exception {
        // the county department's staff, made for the test: an editor and the head who approves its submission
        String suffix = String.valueOf(System.nanoTime() % 100_000);
        String editor = staff("xh.editor" + suffix, "林峰（西湖区民政局数据专员）", "catalog-editor");
        String head = staff("xh.head" + suffix, "沈洁（西湖区民政局负责人）", "head");
        String entry = gateway + "/api/catalog/v1/entries/" + countyEntry(editor, "西湖区低保救助对象-" + suffix);
        post(editor, entry + "/assessments/secrecy", Map.of("reference", "XH-BM-2026-001",
                "conclusion", "不涉及国家秘密和工作秘密", "assessedOn", ConsolePages.beijingToday()));
        post(editor, entry + "/assessments/personal-information", Map.of("reference", "XH-PIA-2026-001",
                "conclusion", "个人信息处理限于履职所需", "assessedOn", ConsolePages.beijingToday()));
        int version = given().auth().oauth2(editor).get(entry).then().statusCode(200).extract().path("lockVersion");
        Response approved = given().auth().oauth2(head).contentType("application/json")
                .header("If-Match", String.valueOf(version)).body(Map.of("opinion", "同意报送"))
                .post(entry + "/head-approval");
        assertEquals(200, approved.statusCode(), approved.asString());
        post(editor, entry + "/submit", Map.of("opinion", "报送审核"));
        String countyRow = "#catalog-report-departments span[title='" + XIHU_CIVIL + "']";

        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            // 杭州市's 主管部门: the city's own departments (杭州市公安局's demo entries), not the county's
            Page city = logIn(browser, "hz.reviewer");
            city.navigate(gateway + "/console#/compliance");
            awaitOn(city, "#catalog-report-departments");
            assertTrue(city.textContent("#catalog-report-scope").contains("330100"),
                    city.textContent("#catalog-report-scope"));
            assertTrue(city.textContent("#catalog-report-departments").contains("330100"),
                    city.textContent("#catalog-report-departments"));
            assertEquals(0, city.locator(countyRow).count(), city.textContent("#catalog-report-departments"));

            // the switch: the county's department, its row naming its region, in the catalogue's report too
            city.check("#include-subregions");
            city.click("#report-filter button[type=submit]");
            city.waitForFunction("() => (document.querySelector('#catalog-report-scope') || {}).textContent"
                    + "?.includes('含下级区划')");
            assertTrue(city.url().contains("includeSubregions=true"), city.url());
            awaitOn(city, countyRow);
            String row = city.locator("#catalog-report-departments tr", new Page.LocatorOptions()
                    .setHas(city.locator("span[title='" + XIHU_CIVIL + "']"))).textContent();
            assertTrue(row.contains("330106"), row);
            assertTrue(city.getAttribute("#catalog-report-csv", "href").contains("includeSubregions=true"));
            Download csv = city.waitForDownload(() -> city.click("#catalog-report-csv"));
            String text = Files.readString(csv.path(), StandardCharsets.UTF_8);
            assertTrue(text.lines().anyMatch(l -> l.startsWith(XIHU_CIVIL + ",") && l.contains(",330106,")), text);

            // switched off again: the county's row is gone
            city.uncheck("#include-subregions");
            city.click("#report-filter button[type=submit]");
            city.waitForFunction("() => !(document.querySelector('#catalog-report-scope') || {}).textContent"
                    + "?.includes('含下级区划')");
            awaitOn(city, "#catalog-report-departments");
            assertEquals(0, city.locator(countyRow).count(), city.textContent("#catalog-report-departments"));
        }
    }

    /** A civil servant of 西湖区民政局 with one role, made by the platform's admin; their access token. */
    private String staff(String username, String name, String role) throws Exception {
        given().auth().oauth2(token("dsj.admin")).contentType("application/json")
                .body(Map.of("type", "CIVIL_SERVANT", "username", username, "displayName", name,
                        "departmentCode", XIHU_CIVIL, "roles", List.of(role), "password", DEMO_PASSWORD))
                .post(gateway + "/api/identity/v1/accounts").then().statusCode(201);
        return token(username);
    }

    private String token(String username) throws Exception {
        return new CodeFlowClient(gateway, "gateway", "demo-gateway-secret").accessToken(username, DEMO_PASSWORD,
                "openid profile");
    }

    private static void post(String token, String url, Map<String, Object> body) {
        Response r = given().auth().oauth2(token).contentType("application/json").body(body).post(url);
        assertEquals(200, r.statusCode(), url + ": " + r.asString());
    }

    /** A draft of the county department's, in its region (R5: the region of the department creating it). */
    private long countyEntry(String editor, String name) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("classification", Map.of("resourceClass", "BASE", "category", "人口", "itemCode", "01",
                "catalogCode", "001"));
        m.put("name", name);
        m.put("providerDepartmentCode", XIHU_CIVIL);
        m.put("providerDepartmentName", "杭州市西湖区民政局");
        m.put("regionCode", "330106");
        m.put("abstract", "西湖区最低生活保障对象的认定和救助发放信息");
        m.put("format", Map.of("formatClass", "DATABASE", "formatType", "PostgreSQL"));
        m.put("items", List.of(
                Map.of("code", "GMSFHM", "name", "公民身份号码", "dataType", "C", "length", 18, "sensitive", true),
                Map.of("code", "JZJE", "name", "救助金额", "dataType", "N", "length", 12, "sensitive", false)));
        m.put("keyItem", "GMSFHM");
        m.put("shareAttribute", "UNCONDITIONAL");
        m.put("shareMethod", Map.of("methodClass", "PLATFORM", "methodType", "API"));
        m.put("openAttribute", "NOT_OPEN");
        m.put("updateCycle", "MONTHLY");
        m.put("dataCategory", "社会救助信息");
        m.put("grade", "LEVEL_2");
        m.put("keywords", List.of("低保", "社会救助"));
        Response r = given().auth().oauth2(editor).contentType("application/json").body(m)
                .post(gateway + "/api/catalog/v1/entries");
        assertEquals(201, r.statusCode(), r.asString());
        return r.jsonPath().getLong("id");
    }
}
