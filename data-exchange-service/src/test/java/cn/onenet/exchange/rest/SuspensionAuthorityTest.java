package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * R14, R20: a suspension the 主管部门 imposed (for a security incident, an upheld complaint or on its own) is lifted
 * only by the 主管部门; the provider lifts only its own.
 */
@QuarkusTest
class SuspensionAuthorityTest extends ExchangeTestBase {

    static final String CODE = "330000-01-02/900871";
    static final String PROVIDER = RequestWorkflowTest.PROVIDER;
    static final String ENTERPRISES_PROVIDER = "11330000002481070F";
    static final String GRANTS = "/api/exchange/v1/grants/";
    static final String ID = "330106198503120014";

    static ValidatableResponse act(String token, long grant, String action, int version, String reason) {
        return given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("version", version, "reason", reason)).post(GRANTS + grant + "/" + action).then();
    }

    static ValidatableResponse grant(long grant) {
        return given().auth().oauth2(admin()).get(GRANTS + grant).then().statusCode(200);
    }

    @Test
    void theProviderCannotLiftAnIncidentSuspension() {
        // core data (核心数据): an incident on it is of the highest severity
        FakeCatalog.add("PUBLISHED", CODE, "暂停权限测试目录", PROVIDER, "UNCONDITIONAL", "CORE", "GMSFHM",
                List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", true)));
        replica.pollOnce();
        String consumer = NoticeReadTest.freshDepartment();
        long grant = RequestWorkflowTest.file(operator(consumer), RequestWorkflowTest.body(CODE, List.of("GMSFHM")))
                .then().statusCode(201).body("status", equalTo("GRANTED")).extract().jsonPath().getLong("grantId");
        Map<String, Object> report = new java.util.HashMap<>(IncidentTest.report("LEAK", List.of(grant)));
        report.put("resourceCode", CODE);
        long incident = IncidentTest.post(reviewer(), "", report).then().statusCode(201)
                .body("severity", equalTo("EXTRAORDINARY")).extract().jsonPath().getLong("id");
        IncidentTest.post(reviewer(), "/" + incident + "/suspend-grants", Map.of("version", 0, "reason", "数据泄露"))
                .then().statusCode(200);
        IncidentTest.post(reviewer(), "/" + incident + "/require-rectification",
                Map.of("version", 1, "responsibleDepartmentCode", consumer, "requirement", "排查泄露原因并整改"))
                .then().statusCode(200);
        grant(grant).body("status", equalTo("SUSPENDED")).body("suspendedBy", equalTo("AUTHORITY"));

        act(operator(PROVIDER), grant, "resume", 1, "已核查").statusCode(403).contentType("application/problem+json");
        grant(grant).body("status", equalTo("SUSPENDED")).body("version", equalTo(1));
        DeliveryTest.lookup(operator(consumer), CODE, ID).then().statusCode(403);
        // the 主管部门 lifts it
        act(reviewer(), grant, "resume", 1, "整改完毕").statusCode(200).body("status", equalTo("ACTIVE"));
        grant(grant).body("suspendedBy", equalTo(null));

        // the provider's own suspension the provider lifts
        act(operator(PROVIDER), grant, "suspend", 2, "超范围调用，暂停核查").statusCode(200);
        grant(grant).body("suspendedBy", equalTo("PROVIDER"));
        act(operator(PROVIDER), grant, "resume", 3, "核查完毕").statusCode(200).body("status", equalTo("ACTIVE"));

        // a reviewer's own suspension, and one it takes over from the provider, the provider does not lift
        act(reviewer(), grant, "suspend", 4, "暂停核查").statusCode(200);
        act(operator(PROVIDER), grant, "resume", 5, "核查完毕").statusCode(403);
        act(reviewer(), grant, "resume", 5, "核查完毕").statusCode(200);
        act(operator(PROVIDER), grant, "suspend", 6, "超范围调用").statusCode(200);
        act(reviewer(), grant, "suspend", 7, "由主管部门继续暂停核查").statusCode(200)
                .body("status", equalTo("SUSPENDED"));
        grant(grant).body("suspendedBy", equalTo("AUTHORITY"));
        act(operator(PROVIDER), grant, "resume", 8, "核查完毕").statusCode(403);
        // suspended twice by the 主管部门: 409
        act(reviewer(), grant, "suspend", 8, "再次暂停").statusCode(409);
    }

    @Test
    void anIncidentTakesOverTheProvidersOwnSuspension() {
        String code = "330000-01-02/900872";
        // important data (重要数据): as severe as core data
        FakeCatalog.add("PUBLISHED", code, "暂停权限测试目录二", PROVIDER, "UNCONDITIONAL", "IMPORTANT", "GMSFHM",
                List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", true)));
        replica.pollOnce();
        String consumer = NoticeReadTest.freshDepartment();
        long grant = RequestWorkflowTest.file(operator(consumer), RequestWorkflowTest.body(code, List.of("GMSFHM")))
                .then().statusCode(201).extract().jsonPath().getLong("grantId");
        act(operator(PROVIDER), grant, "suspend", 0, "超范围调用，暂停核查").statusCode(200);
        Map<String, Object> report = new java.util.HashMap<>(IncidentTest.report("MISUSE", List.of(grant)));
        report.put("resourceCode", code);
        long incident = IncidentTest.post(reviewer(), "", report).then().statusCode(201)
                .body("severity", equalTo("EXTRAORDINARY")).extract().jsonPath().getLong("id");
        IncidentTest.post(reviewer(), "/" + incident + "/suspend-grants", Map.of("version", 0, "reason", "滥用数据"))
                .then().statusCode(200).body("suspendedGrantIds", equalTo(List.of((int) grant)));
        grant(grant).body("status", equalTo("SUSPENDED")).body("suspendedBy", equalTo("AUTHORITY"));
        act(operator(PROVIDER), grant, "resume", 2, "核查完毕").statusCode(403);
    }

    @Test
    void theProviderCannotLiftAComplaintSuspension() {
        long[] upheld = ComplaintTest.complaintAboutAGrantOf(NoticeReadTest.freshDepartment());
        given().auth().oauth2(reviewer()).contentType(ContentType.JSON)
                .body(Map.of("version", 0, "reason", "投诉成立", "suspendGrant", true))
                .post("/api/exchange/v1/complaints/" + upheld[1] + "/uphold").then().statusCode(200);
        grant(upheld[0]).body("suspendedBy", equalTo("AUTHORITY"));
        act(operator(ENTERPRISES_PROVIDER), upheld[0], "resume", 1, "已沟通").statusCode(403)
                .contentType("application/problem+json");

        // the provider had suspended the grant itself: the upheld complaint makes the suspension the 主管部门's
        long[] first = ComplaintTest.complaintAboutAGrantOf(NoticeReadTest.freshDepartment());
        act(operator(ENTERPRISES_PROVIDER), first[0], "suspend", 0, "暂停核查").statusCode(200);
        given().auth().oauth2(reviewer()).contentType(ContentType.JSON)
                .body(Map.of("version", 0, "reason", "投诉成立", "suspendGrant", true))
                .post("/api/exchange/v1/complaints/" + first[1] + "/uphold").then().statusCode(200)
                .body("grantSuspended", equalTo(true));
        grant(first[0]).body("status", equalTo("SUSPENDED")).body("suspendedBy", equalTo("AUTHORITY"));
        act(operator(ENTERPRISES_PROVIDER), first[0], "resume", 2, "已沟通").statusCode(403);
        act(admin(), first[0], "resume", 2, "整改完毕").statusCode(403).contentType("application/problem+json");
        act(reviewer(), first[0], "resume", 2, "整改完毕").statusCode(200);
    }
}
