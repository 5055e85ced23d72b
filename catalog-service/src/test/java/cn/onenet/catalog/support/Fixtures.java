package cn.onenet.catalog.support;

import static io.restassured.RestAssured.given;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import cn.onenet.testsupport.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/** Tokens of the demo roles and a valid entry body to start tests from. */
public final class Fixtures {

    public static final String AUD = "onenet-catalog";
    public static final String POLICE = "11330000002481020A";        // 浙江省公安厅
    public static final String MARKET = "11330000002481070F";        // 浙江省市场监督管理局
    public static final String BUREAU = "113300000024810109";        // 浙江省大数据发展管理局 (主管部门)
    public static final String HANGZHOU_BUREAU = "113301000024910106"; // 杭州市数据资源管理局 (主管部门)
    /** The test departments identity-service registers as their region's 主管部门 (claim {@code competent_authority}). */
    public static final java.util.Set<String> AUTHORITIES = java.util.Set.of(BUREAU, HANGZHOU_BUREAU);
    public static final String PROVINCE = "330000";
    public static final String HANGZHOU = "330100";

    private Fixtures() {
    }

    /** Departments of other regions, whose editors draft the entries reviewed by their own region's 主管部门 (R5). */
    public static final String HANGZHOU_POLICE = "113301000024910207"; // 杭州市公安局, 330100
    public static final String NINGBO_MARKET = "113302000025010108";   // 宁波市市场监督管理局, 330200
    public static final String XIHU_CIVIL = "11330106002511010H";      // 杭州市西湖区民政局, 330106
    private static final Map<String, String> NAMES = Map.of(HANGZHOU_POLICE, "杭州市公安局", NINGBO_MARKET,
            "宁波市市场监督管理局", XIHU_CIVIL, "杭州市西湖区民政局", BUREAU, "浙江省大数据发展管理局", MARKET,
            "浙江省市场监督管理局", HANGZHOU_BUREAU, "杭州市数据资源管理局");

    /** A department of 330000 identity-service's register keeps as deactivated (撤销). */
    public static final String DISSOLVED = "11330000002481099"
            + cn.onenet.common.identifiers.CreditCode.checkCharacter("11330000002481099");

    /** The name the department register gives a test department, or null for a code it does not hold. */
    public static String departmentName(String code) {
        if (code.equals(POLICE)) {
            return "浙江省公安厅";
        }
        if (code.equals(DISSOLVED)) {
            return "浙江省已撤销的厅";
        }
        // and the departments of the demonstration catalogue every test run loads
        return NAMES.getOrDefault(code, cn.onenet.catalog.demo.DemoDataLoader.DEPARTMENTS.get(code));
    }

    public static String editor() {
        return editor("editor-police", POLICE, PROVINCE);
    }

    /** An editor of the department, in the department's region (the {@code region} claim identity-service issues). */
    public static String editorOf(String dept) {
        return editor("editor-" + dept, dept, regionOf(dept));
    }

    /** An editor whose token says the given region (none when null). */
    public static String editor(String subject, String dept, String region) {
        return TestTokens.custom(civilServant(subject, dept, region, "catalog-editor"));
    }

    /** A civil servant of the department and region holding several roles (e.g. catalog-editor and reviewer). */
    public static String staff(String subject, String dept, String region, String... roles) {
        return TestTokens.custom(civilServant(subject, dept, region, roles));
    }

    /** The claims identity-service issues to a civil servant: roles, department, and region unless null. */
    private static Map<String, Object> civilServant(String subject, String dept, String region, String... roles) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", subject);
        claims.put("aud", AUD);
        claims.put("roles", List.of(roles));
        claims.put("scope", "openid");
        claims.put("dept", dept);
        claims.put("account_type", "civil_servant");
        if (region != null) {
            claims.put("region", region);
        }
        if (AUTHORITIES.contains(dept)) {
            claims.put("competent_authority", true);
        }
        return claims;
    }

    /**
     * The region of a test department: characters 3–8 of its 统一社会信用代码 are the registering authority's GB/T 2260
     * code, which for the departments of these tests is the department's own region.
     */
    public static String regionOf(String dept) {
        return dept.substring(2, 8);
    }

    /** {@link #entry} provided by another of the test departments (another region's too), in its region. */
    public static Map<String, Object> entryOf(String dept, String name) {
        Map<String, Object> m = entry(name);
        m.put("providerDepartmentCode", dept);
        m.put("providerDepartmentName", NAMES.get(dept));
        m.put("regionCode", regionOf(dept));
        return m;
    }

    /** The provincial 主管部门's reviewer: region 330000, the region of the entries built by {@link #entry}. */
    public static String reviewer() {
        return reviewerOf("reviewer-1", BUREAU, PROVINCE);
    }

    /** The display name identity-service puts in the {@link #reviewer()}'s token. */
    public static final String REVIEWER_NAME = "王芳";

    /** A reviewer of the given department and region (the {@code region} claim identity-service issues). */
    public static String reviewerOf(String subject, String dept, String region) {
        Map<String, Object> claims = civilServant(subject, dept, region, "reviewer");
        if ("reviewer-1".equals(subject)) {
            claims.put("name", REVIEWER_NAME);
        }
        return TestTokens.custom(claims);
    }

    /** The display name identity-service puts in the tokens of the heads built by {@link #headOf}. */
    public static final String HEAD_NAME = "张厅长";

    /** The head (部门负责人, role {@code head}) of 浙江省公安厅, who approves its entries (R4). */
    public static String head() {
        return headOf(POLICE);
    }

    /** The head of the department, in the department's region, named {@link #HEAD_NAME}. */
    public static String headOf(String dept) {
        return headOf("head-" + dept, dept);
    }

    /** A head of the department with the given account id. */
    public static String headOf(String subject, String dept) {
        return named(subject, dept, HEAD_NAME, "head");
    }

    /** A civil servant of the department, in its region, with a display name and the given roles. */
    public static String named(String subject, String dept, String name, String... roles) {
        Map<String, Object> claims = civilServant(subject, dept, regionOf(dept), roles);
        claims.put("name", name);
        return TestTokens.custom(claims);
    }

    public static String admin() {
        return TestTokens.civilServant("admin-1", BUREAU, AUD, "admin");
    }

    /** The provincial big-data bureau's auditor (审计): reads everything, changes nothing. */
    public static String auditor() {
        return TestTokens.civilServant("auditor-1", BUREAU, AUD, "auditor");
    }

    public static String system() {
        return TestTokens.departmentClient("data-exchange-service", BUREAU, AUD, "system");
    }

    public static String operator() {
        return TestTokens.civilServant("operator-1", MARKET, AUD, "operator");
    }

    /** A natural person (role {@code citizen}), as identity-service issues it: no department, no staff role. */
    public static String citizen() {
        return TestTokens.citizen("citizen-1", "330106199001011234", AUD);
    }

    /** An agent acting for an enterprise (role {@code enterprise}, the enterprise's {@code uscc}), no department. */
    public static String enterprise() {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", "enterprise-1");
        claims.put("aud", AUD);
        claims.put("roles", List.of("enterprise"));
        claims.put("account_type", "legal_person");
        claims.put("uscc", "91330100MA27XXXX1X");
        claims.put("name", "杭州某科技有限公司");
        claims.put("act", Map.of("sub", "agent-1", "name", "李经办"));
        return TestTokens.custom(claims);
    }

    public static RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    /** A complete, valid conditional entry of 浙江省公安厅 with a unique name. */
    public static Map<String, Object> entry(String name) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("classification", new LinkedHashMap<>(Map.of("resourceClass", "BASE", "category", "人口",
                "itemCode", "01", "catalogCode", "001")));
        m.put("name", name);
        m.put("providerDepartmentCode", POLICE);
        m.put("providerDepartmentName", "浙江省公安厅");
        m.put("regionCode", PROVINCE);
        m.put("abstract", "全省户籍人口的登记信息，供办理社会保障和公积金业务核验身份");
        m.put("format", new LinkedHashMap<>(Map.of("formatClass", "DATABASE", "formatType", "PostgreSQL")));
        List<Map<String, Object>> items = new ArrayList<>();
        items.add(item("GMSFHM", "公民身份号码", "C", 18, true));
        items.add(item("XM", "姓名", "C", 50, true));
        items.add(item("HJDZ", "户籍地址", "C", 200, true));
        m.put("items", items);
        m.put("keyItem", "GMSFHM");
        m.put("shareAttribute", "CONDITIONAL");
        m.put("shareConditions", "仅限办理社会保障、公积金业务时使用");
        m.put("shareScope", "省内各级政务部门");
        m.put("permittedPurposes", new ArrayList<>(List.of("社会保障待遇资格认证", "住房公积金提取")));
        m.put("shareMethod", new LinkedHashMap<>(Map.of("methodClass", "PLATFORM", "methodType", "API")));
        m.put("openAttribute", "NOT_OPEN");
        m.put("updateCycle", "DAILY");
        m.put("dataCategory", "人口基础信息");
        m.put("grade", "LEVEL_3");
        m.put("keywords", new ArrayList<>(List.of("户籍", "户口")));
        return m;
    }

    /** Makes an entry open to the public: shared unconditionally, with open conditions and no sensitive items. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> open(Map<String, Object> m) {
        m.put("shareAttribute", "UNCONDITIONAL");
        m.remove("shareConditions");
        m.remove("shareScope");
        m.remove("permittedPurposes");
        m.put("openAttribute", "OPEN");
        m.put("openConditions", "引用时注明数据来源");
        ((List<Map<String, Object>>) m.get("items")).forEach(i -> i.put("sensitive", false));
        return m;
    }

    public static Map<String, Object> item(String code, String name, String type, Integer length, boolean sensitive) {
        Map<String, Object> i = new LinkedHashMap<>();
        i.put("code", code);
        i.put("name", name);
        i.put("dataType", type);
        i.put("length", length);
        i.put("sensitive", sensitive);
        return i;
    }

    public static long create(String token, Map<String, Object> body) {
        return as(token).body(body).post("/api/catalog/v1/entries").then().statusCode(201).extract().jsonPath()
                .getLong("id");
    }

    /**
     * Assessments recorded by the editor and the approval of the head of the entry's provider department, the gate
     * before submission.
     */
    public static void prepare(String token, long id) {
        assess(token, id);
        String provider = as(token).get("/api/catalog/v1/entries/" + id).then().statusCode(200).extract()
                .path("draft.providerDepartmentCode");
        headApproval(headOf(provider), id).statusCode(200);
    }

    /**
     * Both assessments recorded by the token's holder (an editor of the entry's department), dated the day the entry
     * was registered (the earliest an assessment may be dated, so that any later approval date fits).
     */
    public static void assess(String token, long id) {
        String day = registrationDay(id);
        as(token).body(Map.of("reference", "BM-2026-001", "conclusion", "不涉及国家秘密和工作秘密", "assessedOn", day))
                .post("/api/catalog/v1/entries/" + id + "/assessments/secrecy").then().statusCode(200);
        as(token).body(Map.of("reference", "PIA-2026-001", "conclusion", "风险可控", "assessedOn", day))
                .post("/api/catalog/v1/entries/" + id + "/assessments/personal-information").then().statusCode(200);
    }

    /** The day the entry was registered (登记日期, Beijing date), as the service dates its steps against it. */
    public static String registrationDay(long id) {
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> cn.onenet.catalog.model.CatalogEntry
                .<cn.onenet.catalog.model.CatalogEntry>findById(id).registeredOn.toString());
    }

    /** The head's approval of the entry (部门负责人审核) with the opinion 同意报送, of the draft as it is now. */
    public static ValidatableResponse headApproval(String token, long id) {
        return headApproval(token, id, Map.of("opinion", "同意报送"));
    }

    /** The head's approval with the body, sent with the entry's current lockVersion as If-Match. */
    public static ValidatableResponse headApproval(String token, long id, Map<String, Object> body) {
        return as(token).header("If-Match", String.valueOf(lockVersion(id))).body(body)
                .post("/api/catalog/v1/entries/" + id + "/head-approval").then();
    }

    /** The entry's current lockVersion, as the auditor (who reads every draft) sees it. */
    public static int lockVersion(long id) {
        return as(auditor()).get("/api/catalog/v1/entries/" + id).then().statusCode(200).extract()
                .path("lockVersion");
    }

    /** Replaces the entry's draft with the body, sending the entry's current lockVersion as If-Match. */
    public static ValidatableResponse put(String token, long id, Object body) {
        return as(token).header("If-Match", String.valueOf(lockVersion(id))).body(body)
                .put("/api/catalog/v1/entries/" + id).then();
    }

    public static ValidatableResponse action(String token, long id, String action, Map<String, Object> body) {
        return as(token).body(body).post("/api/catalog/v1/entries/" + id + "/" + action).then();
    }

    /** Created, assessed, approved by the head and submitted for review; returns its id. */
    public static long submitted(String token, Map<String, Object> body) {
        long id = create(token, body);
        prepare(token, id);
        action(token, id, "submit", Map.of()).statusCode(200);
        return id;
    }

    /** Creates and publishes an entry; returns its id. */
    public static long published(String editorToken, Map<String, Object> body) {
        long id = create(editorToken, body);
        prepare(editorToken, id);
        action(editorToken, id, "submit", Map.of()).statusCode(200);
        action(reviewer(), id, "approve", Map.of("opinion", "同意")).statusCode(200);
        action(reviewer(), id, "publish", Map.of("opinion", "发布")).statusCode(200);
        return id;
    }

    /**
     * Dates the entry's registration (its creation) back to the morning of the day, Beijing time: an entry that has
     * been in the catalogue since then, whose change may have been triggered on any day from then on.
     */
    public static void registeredOn(long id, String day) {
        java.time.Instant at = java.time.LocalDate.parse(day).atTime(9, 0)
                .atZone(cn.onenet.catalog.service.CalendarService.CHINA).toInstant();
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
                .run(() -> cn.onenet.catalog.model.CatalogEntry.update("createdAt = ?1, registeredOn = ?2 where id = ?3",
                        at, java.time.LocalDate.parse(day), id));
    }

    /** Changes a published entry to the given content and publishes the change as its next version. */
    public static void republished(String editorToken, long id, Map<String, Object> body) {
        action(editorToken, id, "change", Map.of("cause", "职责调整")).statusCode(200);
        put(editorToken, id, body).statusCode(200);
        prepare(editorToken, id);
        action(editorToken, id, "submit", Map.of()).statusCode(200);
        action(reviewer(), id, "approve", Map.of("opinion", "同意")).statusCode(200);
        action(reviewer(), id, "publish", Map.of("opinion", "发布")).statusCode(200);
    }
}
