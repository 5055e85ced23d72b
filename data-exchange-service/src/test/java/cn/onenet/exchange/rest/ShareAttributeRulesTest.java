package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.model.Notice;
import cn.onenet.exchange.service.DemoData;
import cn.onenet.exchange.service.Regions;
import cn.onenet.exchange.service.RequestService;
import cn.onenet.exchange.service.TimeSource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;

/**
 * What the share attribute decides, and what neither the provider nor a dispute can change: 回流 only with a region
 * scope (R18), 不予共享 never granted (R1), 无条件共享 and 回流 not stopped by the provider (R15), extensions only while
 * the deadline runs (R8).
 */
@QuarkusTest
class ShareAttributeRulesTest extends ExchangeTestBase {

    static final String PROVIDER = RequestWorkflowTest.PROVIDER;
    static final String API = "/api/exchange/v1";

    @Inject
    TimeSource time;
    @Inject
    RequestService requests;
    @Inject
    AgroalDataSource dataSource;

    @AfterEach
    void realClock() {
        time.set(null);
    }

    /** A provincial entry of the test provider keyed on 个人账号 (GRZH), optionally with a 行政区划代码 item. */
    static Map<String, Object> accountEntry(String code, String share, boolean regionItem) {
        List<Map<String, Object>> items = new java.util.ArrayList<>(List.of(
                Map.of("code", "GRZH", "name", "个人账号", "sensitive", false),
                Map.of("code", "JCZT", "name", "缴存状态", "sensitive", false)));
        if (regionItem) {
            items.add(Map.of("code", Regions.REGION_ITEM, "name", "行政区划代码", "sensitive", false));
        }
        Map<String, Object> entry = FakeCatalog.add("PUBLISHED", code, "测试个人账户 " + code, PROVIDER, share, "LEVEL_2",
                "GRZH", items);
        return entry;
    }

    /** Records of accounts in 西湖区, 宁波市海曙区 and 温州市鹿城区 (with the region item where the entry has it). */
    static void pushAccounts(String code, boolean regionItem) {
        List<Map<String, Object>> records = new java.util.ArrayList<>();
        for (String[] r : new String[][] { { "HZ0001", "330106" }, { "NB0001", "330203" }, { "WZ0001", "330302" } }) {
            Map<String, Object> record = new LinkedHashMap<>(Map.of("GRZH", r[0], "JCZT", "正常"));
            if (regionItem) {
                record.put(Regions.REGION_ITEM, r[1]);
            }
            records.add(record);
        }
        given().urlEncodingEnabled(false).auth().oauth2(operator(PROVIDER)).contentType(ContentType.JSON).body(records)
                .post(API + "/datasets/" + FakeCatalog.encoded(code) + "/records").then().statusCode(201);
    }

    static Response records(String token, String code) {
        return given().urlEncodingEnabled(false).auth().oauth2(token)
                .get(API + "/data/" + FakeCatalog.encoded(code) + "/records");
    }

    static ValidatableResponse post(String token, String path, Map<String, Object> body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body).post(API + path).then();
    }

    static long notices(String department, String kind, String subjectType, long id) {
        return QuarkusTransaction.requiringNew().call(() -> Notice.count("departmentCode = ?1 and kind = ?2 and "
                + "subjectType = ?3 and subjectId = ?4", department, kind, subjectType, id));
    }

    // ---- A: 回流 only where the records say which region they belong to (R18, R8, R12)

    @Test
    void aCountyGetsNoWholeProvincialDatasetWithoutARegionKeyButReturnFlowWithOne() {
        String noKey = "330000-01-04/900321";
        accountEntry(noKey, "CONDITIONAL", false);
        String withItem = "330000-01-04/900322";
        accountEntry(withItem, "CONDITIONAL", true);
        replica.pollOnce();
        pushAccounts(noKey, false);
        pushAccounts(withItem, true);
        String county = ReturnFlowTest.operatorIn("11330106MB00000310", "330106");

        // no region key: the normal conditional path, the provider decides within 10 working days
        Response filed = RequestWorkflowTest.file(county, RequestWorkflowTest.body(noKey, List.of("GRZH", "JCZT")));
        filed.then().statusCode(201).body("status", equalTo("PENDING")).body("grantId", nullValue())
                .body("dueOn", notNullValue());
        long id = filed.jsonPath().getLong("id");
        given().auth().oauth2(county).get(API + "/requests/" + id + "/history").then().statusCode(200)
                .body("[0].details.path", equalTo("CONDITIONAL"));
        records(county, noKey).then().statusCode(403).contentType("application/problem+json");
        assertEquals(1, notices(PROVIDER, "REQUEST_RECEIVED", "REQUEST", id));
        // approved by the provider, the grant is its decision (有条件共享), not a 回流 grant
        long grant = DeliveryTest.approve(id).then().statusCode(200).extract().jsonPath().getLong("grantId");
        given().auth().oauth2(county).get(API + "/grants/" + grant).then().statusCode(200)
                .body("basis", equalTo("有条件共享")).body("regionScope", nullValue());

        // a 行政区划代码 item: 回流 at once, the county's own records only
        Response flowed = RequestWorkflowTest.file(county, RequestWorkflowTest.body(withItem, List.of("GRZH", "JCZT")));
        flowed.then().statusCode(201).body("status", equalTo("GRANTED"))
                .body("decisionReason", equalTo(Regions.RETURN_FLOW_BASIS));
        given().auth().oauth2(county).get(API + "/grants/" + flowed.jsonPath().getLong("grantId")).then()
                .statusCode(200).body("basis", equalTo(Regions.RETURN_FLOW_BASIS)).body("regionScope", equalTo("330106"));
        records(county, withItem).then().statusCode(200).body("records.GRZH", equalTo(List.of("HZ0001")));
    }

    @Test
    void aReturnFlowGrantStrandedOnAnEntryWithoutARegionKeyIsEndedByTheSweep() throws Exception {
        String stranded = "330000-01-04/900392";
        String keyed = "330000-01-04/900393";
        accountEntry(stranded, "CONDITIONAL", true);
        accountEntry(keyed, "CONDITIONAL", true);
        replica.pollOnce();
        String countyDept = "11330106MB00000392";
        String county = ReturnFlowTest.operatorIn(countyDept, "330106");
        long lost = RequestWorkflowTest.file(county, RequestWorkflowTest.body(stranded, List.of("GRZH", "JCZT")))
                .then().statusCode(201).body("status", equalTo("GRANTED")).extract().jsonPath().getLong("grantId");
        long kept = RequestWorkflowTest.file(county, RequestWorkflowTest.body(keyed, List.of("GRZH", "JCZT")))
                .then().statusCode(201).body("status", equalTo("GRANTED")).extract().jsonPath().getLong("grantId");
        // as a replica that applied a version without the 行政区划代码 item before such a version ended the grant
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE catalog_entry SET entry_version = 2, items = ? WHERE resource_code = ?")) {
            ps.setString(1, "[{\"code\": \"GRZH\", \"name\": \"个人账号\", \"sensitive\": false}, "
                    + "{\"code\": \"JCZT\", \"name\": \"缴存状态\", \"sensitive\": false}]");
            ps.setString(2, stranded);
            assertEquals(1, ps.executeUpdate());
        }
        given().auth().oauth2(county).get(API + "/grants/" + lost).then().body("status", equalTo("ACTIVE"))
                .body("regionScope", equalTo("330106"));
        int keptVersion = given().auth().oauth2(county).get(API + "/grants/" + kept).then().extract().jsonPath()
                .getInt("version");

        assertEquals(true, replica.endRegionLimitedGrantsWithoutRegionKey() >= 1);
        given().auth().oauth2(county).get(API + "/grants/" + lost).then().statusCode(200)
                .body("status", equalTo("TERMINATED")).body("statusReason", containsString("330106"))
                .body("statusReason", containsString("目录第 2 版已无行政区划数据项"));
        given().auth().oauth2(admin()).get(API + "/grants/" + lost + "/history").then().statusCode(200)
                .body("findAll { it.action == 'TERMINATE' }.size()", equalTo(1))
                .body("find { it.action == 'TERMINATE' }.automatic", equalTo(true))
                .body("find { it.action == 'TERMINATE' }.toStatus", equalTo("TERMINATED"));
        assertEquals(1, notices(countyDept, "GRANT_TERMINATED", "GRANT", lost));
        assertEquals(1, notices(PROVIDER, "GRANT_TERMINATED", "GRANT", lost));
        // the entry that still says the region keeps its grant as it was
        given().auth().oauth2(county).get(API + "/grants/" + kept).then().statusCode(200)
                .body("status", equalTo("ACTIVE")).body("version", equalTo(keptVersion));

        // once done, the sweep finds nothing more there
        int version = given().auth().oauth2(county).get(API + "/grants/" + lost).then().extract().jsonPath()
                .getInt("version");
        replica.endRegionLimitedGrantsWithoutRegionKey();
        given().auth().oauth2(county).get(API + "/grants/" + lost).then().body("version", equalTo(version));
        given().auth().oauth2(admin()).get(API + "/grants/" + lost + "/history").then()
                .body("findAll { it.action == 'TERMINATE' }.size()", equalTo(1));
        assertEquals(1, notices(countyDept, "GRANT_TERMINATED", "GRANT", lost));
        assertEquals(1, notices(PROVIDER, "GRANT_TERMINATED", "GRANT", lost));
        assertEquals(0, notices(countyDept, "GRANT_TERMINATED", "GRANT", kept));
    }

    @Test
    void aReturnFlowGrantEndsWhenANewVersionNoLongerSaysTheRegion() {
        String code = "330000-01-04/900391";
        Map<String, Object> v1 = accountEntry(code, "CONDITIONAL", true);
        replica.pollOnce();
        pushAccounts(code, true);
        String countyDept = "11330106MB00000391";
        String county = ReturnFlowTest.operatorIn(countyDept, "330106");
        Response flowed = RequestWorkflowTest.file(county, RequestWorkflowTest.body(code, List.of("GRZH", "JCZT")));
        flowed.then().statusCode(201).body("status", equalTo("GRANTED"));
        long grant = flowed.jsonPath().getLong("grantId");
        records(county, code).then().statusCode(200).body("records.GRZH", equalTo(List.of("HZ0001")));

        // version 2 drops the 行政区划代码 item: the records no longer say where they belong
        Map<String, Object> v2 = new LinkedHashMap<>(v1);
        v2.put("version", 2);
        v2.put("items", List.of(Map.of("code", "GRZH", "name", "个人账号", "sensitive", false),
                Map.of("code", "JCZT", "name", "缴存状态", "sensitive", false)));
        FakeCatalog.addItem("CHANGED", v2);
        replica.pollOnce();

        Response after = records(county, code);
        after.then().statusCode(403).contentType("application/problem+json");
        assertEquals(false, after.asString().contains("NB0001"), after.asString());
        given().auth().oauth2(county).get(API + "/grants/" + grant).then().statusCode(200)
                .body("status", equalTo("TERMINATED")).body("statusReason", containsString("330106"));
        given().auth().oauth2(admin()).get(API + "/grants/" + grant + "/history").then().statusCode(200)
                .body("find { it.action == 'TERMINATE' }.automatic", equalTo(true))
                .body("find { it.action == 'TERMINATE' }.toStatus", equalTo("TERMINATED"));
        assertEquals(1, notices(countyDept, "GRANT_TERMINATED", "GRANT", grant));
        assertEquals(1, notices(PROVIDER, "GRANT_TERMINATED", "GRANT", grant));
    }

    // ---- B: 不予共享 is never granted, neither by an approval nor through a dispute (R1, R17)

    @Test
    void aDisputeOnANotSharedRefusalCannotBeResolvedShare() {
        String consumer = operator("11330000MB00000320");
        long request = RequestWorkflowTest.file(consumer, RequestWorkflowTest.body(FakeCatalog.NOT_SHARED,
                List.of("GMSFHM"))).then().statusCode(201).body("status", equalTo("NOT_SHARED")).extract().jsonPath()
                .getLong("id");
        long dispute = post(consumer, "/disputes", DisputeObjectionTest.refusalDispute(request, "履行法定职责确需该数据"))
                .statusCode(201).extract().jsonPath().getLong("id");
        post(reviewer(), "/disputes/" + dispute + "/resolve",
                Map.of("version", 0, "outcome", "SHARE", "resolution", "经协调，应按有条件共享办理")).statusCode(409)
                .contentType("application/problem+json").body("type", equalTo("urn:onenet:problem:illegal-transition"))
                .body("detail", containsString("不予共享"));
        given().auth().oauth2(reviewer()).get(API + "/disputes/" + dispute).then().body("status", equalTo("OPEN"))
                .body("version", equalTo(0));
        given().auth().oauth2(consumer).get(API + "/requests/" + request).then().body("status", equalTo("NOT_SHARED"))
                .body("version", equalTo(0)).body("grantId", nullValue());
        post(reviewer(), "/disputes/" + dispute + "/resolve",
                Map.of("version", 0, "outcome", "UPHOLD", "resolution", "目录所列法律依据成立，维持不予共享")).statusCode(200)
                .body("status", equalTo("RESOLVED_UPHELD"));
    }

    @Test
    void aRequestWaitingWhenTheEntryTurnsNotSharedIsNotApprovedNorSharedThroughADispute() {
        String code = "330000-01-02/900331";
        DeliveryTest.freshEntry(replica, code, "CONDITIONAL");
        String consumer = operator("11330000MB00000330");
        long waiting = RequestWorkflowTest.file(consumer, RequestWorkflowTest.body(code, List.of("XM"))).then()
                .statusCode(201).body("status", equalTo("PENDING")).extract().jsonPath().getLong("id");
        long other = RequestWorkflowTest.file(consumer, RequestWorkflowTest.body(code, List.of("ZY"))).then()
                .statusCode(201).body("status", equalTo("PENDING")).extract().jsonPath().getLong("id");
        post(operator(PROVIDER), "/requests/" + other + "/refuse", Map.of("version", 0, "reason", "用途与职能不符"))
                .statusCode(200);
        long dispute = post(consumer, "/disputes", DisputeObjectionTest.refusalDispute(other, "履行法定职责确需该数据"))
                .statusCode(201).extract().jsonPath().getLong("id");

        // the catalogue changes the entry to 不予共享, with its legal basis
        FakeCatalog.addItem("CHANGED", notShared(code));
        replica.pollOnce();

        post(operator(PROVIDER), "/requests/" + waiting + "/approve", Map.of("version", 0)).statusCode(409)
                .contentType("application/problem+json").body("type", equalTo("urn:onenet:problem:illegal-transition"))
                .body("detail", containsString("NOT_SHARED"));
        given().auth().oauth2(consumer).get(API + "/requests/" + waiting).then().body("status", equalTo("PENDING"))
                .body("version", equalTo(0)).body("grantId", nullValue());
        given().auth().oauth2(consumer).get(API + "/grants?resourceCode=" + code).then().statusCode(200)
                .body("size()", equalTo(0));
        post(reviewer(), "/disputes/" + dispute + "/resolve",
                Map.of("version", 0, "outcome", "SHARE", "resolution", "应予共享")).statusCode(409)
                .contentType("application/problem+json");
        given().auth().oauth2(consumer).get(API + "/requests/" + other).then().body("status", equalTo("REFUSED"));
        // the provider refuses the waiting request instead
        post(operator(PROVIDER), "/requests/" + waiting + "/refuse", Map.of("version", 0, "reason", "目录已变更为不予共享"))
                .statusCode(200).body("status", equalTo("REFUSED"));
    }

    /** The entry {@link DeliveryTest#freshEntry} publishes, in its version 2: 不予共享 with a legal basis. */
    static Map<String, Object> notShared(String code) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("resourceCode", code);
        e.put("version", 2);
        e.put("name", "测试授权目录 " + code);
        e.put("providerDepartmentCode", PROVIDER);
        e.put("providerDepartmentName", "测试提供部门");
        e.put("regionCode", "330000");
        e.put("shareAttribute", "NOT_SHARED");
        e.put("notSharedReason", "涉及国家秘密");
        e.put("notSharedLegalBasis", Map.of("type", "LAW", "title", "中华人民共和国保守国家秘密法", "article", "第二条"));
        e.put("grade", "LEVEL_4");
        e.put("keyItem", "GMSFHM");
        e.put("items", List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", true),
                Map.of("code", "XM", "name", "姓名", "sensitive", true),
                Map.of("code", "ZY", "name", "职业", "sensitive", false)));
        return e;
    }

    // ---- C: the provider does not stop or add conditions to sharing by rule; its changes are filed (R15, R18)

    @Test
    void theProviderNeitherTerminatesNorNarrowsAnUnconditionalOrReturnFlowGrant() {
        String code = "330000-01-02/900341";
        DeliveryTest.freshEntry(replica, code, "UNCONDITIONAL");
        String consumer = operator("11330000MB00000340");
        Map<String, Object> request = RequestWorkflowTest.body(code, List.of("GMSFHM", "XM"));
        long grant = DeliveryTest.fileGranted(consumer, request);
        String provider = operator(PROVIDER);
        DeliveryTest.governGrant(provider, grant, "terminate", 0, "业务办结").then().statusCode(403)
                .contentType("application/problem+json").body("detail", containsString("R15"));
        post(provider, "/grants/" + grant + "/change", Map.of("version", 0, "reason", "缩减", "items", List.of("XM")))
                .statusCode(403).contentType("application/problem+json");
        post(provider, "/grants/" + grant + "/change", Map.of("version", 0, "reason", "限流", "quotaPerDay", 1))
                .statusCode(403);
        given().auth().oauth2(consumer).get(API + "/grants/" + grant).then().body("status", equalTo("ACTIVE"))
                .body("version", equalTo(0)).body("items", equalTo(List.of("GMSFHM", "XM")));
        // raising a quota adds no condition; the 主管部门 is told of the provider's change
        int perDay = given().auth().oauth2(consumer).get(API + "/grants/" + grant).jsonPath().getInt("quotaPerDay");
        post(provider, "/grants/" + grant + "/change", Map.of("version", 0, "reason", "调高日上限",
                "quotaPerDay", perDay + 100)).statusCode(200).body("quotaPerDay", equalTo(perDay + 100));
        assertEquals(1, notices(DemoData.AUTHORITY, "GRANT_CHANGED", "GRANT", grant));

        // a 回流 grant likewise
        String flowCode = "330000-01-04/900342";
        accountEntry(flowCode, "CONDITIONAL", true);
        replica.pollOnce();
        long flow = DeliveryTest.fileGranted(ReturnFlowTest.operatorIn("11330106MB00000341", "330106"),
                RequestWorkflowTest.body(flowCode, List.of("GRZH")));
        DeliveryTest.governGrant(provider, flow, "terminate", 0, "停止回流").then().statusCode(403);

        // the 主管部门 may end it (misuse not rectified): a new filing is then reviewed by the provider
        DeliveryTest.governGrant(reviewer(), grant, "terminate", 1, "违规使用未整改，终止授权").then().statusCode(200)
                .body("status", equalTo("TERMINATED"));
        RequestWorkflowTest.file(consumer, request).then().statusCode(201).body("status", equalTo("PENDING"))
                .body("grantId", nullValue());
    }

    @Test
    void anUnconditionalFilingAfterAProviderTerminationIsGrantedAsTheFirstWas() throws Exception {
        String code = "330000-01-02/900351";
        DeliveryTest.freshEntry(replica, code, "UNCONDITIONAL");
        String consumer = operator("11330000MB00000350");
        Map<String, Object> request = RequestWorkflowTest.body(code, List.of("GMSFHM", "XM"));
        long grant = DeliveryTest.fileGranted(consumer, request);
        // terminated by the provider on its own, as the exchange let it before R15 was enforced
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE share_grant SET status = 'TERMINATED', "
                    + "status_reason = '业务办结', version = version + 1 WHERE id = ?")) {
                ps.setLong(1, grant);
                assertEquals(1, ps.executeUpdate());
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO state_change (object_type, object_id, action, "
                    + "from_status, to_status, actor_subject, actor_department, actor_role, automatic, decision, reason, "
                    + "changed_at) VALUES ('GRANT', ?, 'TERMINATE', 'ACTIVE', 'TERMINATED', 'op-provider', ?, "
                    + "'operator', false, true, '业务办结', now())")) {
                ps.setLong(1, grant);
                ps.setString(2, PROVIDER);
                assertEquals(1, ps.executeUpdate());
            }
        }
        Response again = RequestWorkflowTest.file(consumer, request);
        again.then().statusCode(201).body("status", equalTo("GRANTED")).body("grantId", notNullValue());
        DeliveryTest.lookup(consumer, code, "330282196509230044").then().statusCode(200)
                .body("grantId", equalTo(again.jsonPath().getInt("grantId")));
    }

    @Test
    void theProvidersTerminationAndChangeOfAConditionalGrantAreFiledWithTheAuthority() {
        String code = "330000-01-02/900361";
        DeliveryTest.freshEntry(replica, code, "CONDITIONAL");
        String consumer = operator("11330000MB00000360");
        long request = RequestWorkflowTest.file(consumer, RequestWorkflowTest.body(code, List.of("GMSFHM", "XM")))
                .then().statusCode(201).extract().jsonPath().getLong("id");
        long grant = DeliveryTest.approve(request).then().statusCode(200).extract().jsonPath().getLong("grantId");
        String provider = operator(PROVIDER);
        post(provider, "/grants/" + grant + "/change", Map.of("version", 0, "reason", "姓名不再提供", "items",
                List.of("GMSFHM"))).statusCode(200);
        assertEquals(1, notices(DemoData.AUTHORITY, "GRANT_CHANGED", "GRANT", grant));
        DeliveryTest.governGrant(provider, grant, "terminate", 1, "业务办结，协商一致").then().statusCode(200);
        assertEquals(1, notices(DemoData.AUTHORITY, "GRANT_TERMINATED", "GRANT", grant));
        // the 主管部门's own decisions are not filed with itself
        String code2 = "330000-01-02/900362";
        DeliveryTest.freshEntry(replica, code2, "CONDITIONAL");
        long request2 = RequestWorkflowTest.file(consumer, RequestWorkflowTest.body(code2, List.of("GMSFHM")))
                .then().statusCode(201).extract().jsonPath().getLong("id");
        long grant2 = DeliveryTest.approve(request2).then().statusCode(200).extract().jsonPath().getLong("grantId");
        DeliveryTest.governGrant(reviewer(), grant2, "terminate", 0, "违规使用").then().statusCode(200);
        assertEquals(0, notices(DemoData.AUTHORITY, "GRANT_TERMINATED", "GRANT", grant2));
    }

    // ---- D: an extension extends a running deadline, never a passed one (R8)

    static void at(int year, int month, int day, TimeSource time) {
        time.set(Clock.fixed(ZonedDateTime.of(year, month, day, 10, 0, 0, 0, TimeSource.ZONE).toInstant(),
                TimeSource.ZONE));
    }

    @Test
    void anExtensionIsNeitherAskedForNorApprovedAfterTheDeadline() {
        String code = "330000-01-02/900371";
        DeliveryTest.freshEntry(replica, code, "CONDITIONAL");
        String consumer = operator("11330000MB00000370");
        at(2026, 9, 28, time);
        long late = RequestWorkflowTest.file(consumer, RequestWorkflowTest.body(code, List.of("XM"))).then()
                .statusCode(201).body("dueOn", equalTo("2026-10-16")).extract().jsonPath().getLong("id");
        long asked = RequestWorkflowTest.file(consumer, RequestWorkflowTest.body(code, List.of("ZY"))).then()
                .statusCode(201).extract().jsonPath().getLong("id");
        // asked for on the last day: in time
        at(2026, 10, 16, time);
        post(operator(PROVIDER), "/requests/" + asked + "/extension", Map.of("version", 0, "reason", "需核对历史数据",
                "days", 5)).statusCode(200);

        at(2026, 10, 19, time);
        post(operator(PROVIDER), "/requests/" + late + "/extension", Map.of("version", 0, "reason", "需核对历史数据",
                "days", 5)).statusCode(409).contentType("application/problem+json")
                .body("dueOn", equalTo("2026-10-16")).body("detail", containsString("2026-10-16"));
        given().auth().oauth2(consumer).get(API + "/requests/" + late).then().body("version", equalTo(0))
                .body("extensionDays", nullValue());

        requests.escalateOverdue();
        given().auth().oauth2(consumer).get(API + "/requests/" + asked).then().body("escalated", equalTo(true));
        post(reviewer(), "/requests/" + asked + "/extension/approve", Map.of("version", 2)).statusCode(409)
                .contentType("application/problem+json").body("dueOn", equalTo("2026-10-16"))
                .body("detail", containsString("2026-10-16"));
        given().auth().oauth2(consumer).get(API + "/requests/" + asked).then().body("dueOn", equalTo("2026-10-16"))
                .body("escalated", equalTo(true)).body("extended", equalTo(false)).body("version", equalTo(2));
        // it can still be refused, which leaves the deadline and the escalation as they are
        post(reviewer(), "/requests/" + asked + "/extension/refuse", Map.of("version", 2, "reason", "已逾期"))
                .statusCode(200).body("dueOn", equalTo("2026-10-16")).body("escalated", equalTo(true));
    }
}
