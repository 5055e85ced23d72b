package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.model.Complaint;
import cn.onenet.exchange.model.Correction;
import cn.onenet.exchange.model.Dispute;
import cn.onenet.exchange.model.Objection;
import cn.onenet.exchange.model.SecurityIncident;
import cn.onenet.exchange.model.ShareRequest;
import cn.onenet.exchange.model.UsageRecord;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;

/**
 * Free text in request bodies: each field has its stated maximum, and no text may carry a control character or an
 * unpaired surrogate (sent as JSON escapes, as a client would). Either is a 400 problem+json naming the field, with
 * the request id, and nothing is stored or changed. One family of resources per test.
 */
@QuarkusTest
class FreeTextLimitsTest extends ExchangeTestBase {

    /** Stands in a value for a control character (BEL) once the body is written as JSON. */
    static final String CONTROL = "@CONTROL@";
    /** Stands in a value for an unpaired high surrogate. */
    static final String LONE = "@LONE@";
    static final String TOO_LONG = "长".repeat(2001);

    static final ObjectMapper JSON = new ObjectMapper();

    /** The body as JSON, with the stand-ins replaced by their escapes. */
    static String json(Object body) {
        try {
            return JSON.writeValueAsString(body).replace(CONTROL, "\\u0007").replace(LONE, "\\ud800");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Response post(String token, String path, Object body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(json(body))
                .post("/api/exchange/v1" + path);
    }

    static ValidatableResponse refused(Response r, String field) {
        return r.then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem(field)).body("requestId", notNullValue());
    }

    static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> m = new HashMap<>(base);
        m.put(key, value);
        return m;
    }

    static long count(Class<?> entity) {
        return QuarkusTransaction.requiringNew().call(() -> switch (entity.getSimpleName()) {
            case "Dispute" -> Dispute.count();
            case "Objection" -> Objection.count();
            case "ShareRequest" -> ShareRequest.count();
            case "Complaint" -> Complaint.count();
            case "Correction" -> Correction.count();
            case "SecurityIncident" -> SecurityIncident.count();
            case "UsageRecord" -> UsageRecord.count();
            default -> throw new IllegalArgumentException(entity.getName());
        });
    }

    @Test
    void disputesAndObjections() {
        String consumer = operator("11330000MB00000685");
        long grant = DisputeObjectionTest.suspendedByProvider(replica, "330000-01-02/906871", consumer);
        Map<String, Object> negotiation = DisputeObjectionTest.negotiation("2026-12-01");
        Map<String, Object> dispute = Map.of("subject", "SUSPENSION", "grantId", grant,
                "reason", "暂停理由不成立", "negotiation", negotiation);
        long disputes = count(Dispute.class);

        refused(post(consumer, "/disputes", with(dispute, "reason", TOO_LONG)), "reason");
        refused(post(consumer, "/disputes", with(dispute, "reason", "暂停理由" + CONTROL + "不成立")), "reason");
        refused(post(consumer, "/disputes", with(dispute, "negotiation", with(negotiation, "outcome",
                "未达成一致" + LONE))), "negotiation.outcome");
        refused(post(consumer, "/disputes", with(dispute, "negotiation", with(negotiation, "participants",
                List.of("省民政厅 王科长", "李" + CONTROL)))), "negotiation.participants[1]");
        refused(post(consumer, "/disputes", with(dispute, "negotiation", with(negotiation, "participants",
                List.of("长".repeat(201))))), "negotiation.participants[0]");
        // every bad field is named at once
        post(consumer, "/disputes", with(with(dispute, "reason", TOO_LONG), "subject", "SUSPENSION" + CONTROL))
                .then().statusCode(400).body("errors.field", hasItem("reason")).body("errors.field", hasItem("subject"));
        assertEquals(disputes, count(Dispute.class));

        long id = post(consumer, "/disputes", dispute).then().statusCode(201).extract().jsonPath().getLong("id");
        refused(post(reviewer(), "/disputes/" + id + "/resolve", Map.of("version", 0, "outcome", "SHARE",
                "resolution", TOO_LONG)), "resolution");
        refused(post(reviewer(), "/disputes/" + id + "/escalate", Map.of("version", 0, "reason",
                "提请" + LONE)), "reason");
        given().auth().oauth2(reviewer()).get("/api/exchange/v1/disputes/" + id).then().statusCode(200)
                .body("status", equalTo("OPEN")).body("level", equalTo("COMPETENT_AUTHORITY"))
                .body("version", equalTo(0));

        // objections: the consumer holds a grant on the entry
        long objections = count(Objection.class);
        Map<String, Object> objection = Map.of("resourceCode", "330000-01-02/906871", "recordKey",
                "330106198807070023", "description", "户籍地址与现住址不一致");
        refused(post(consumer, "/objections", with(objection, "description", TOO_LONG)), "description");
        refused(post(consumer, "/objections", with(objection, "recordKey", "3301" + CONTROL)), "recordKey");
        assertEquals(objections, count(Objection.class));
    }

    @Test
    void requests() {
        String consumer = operator("11330000MB00000686");
        GrantDisposalTest.catalogued(replica, "330000-01-02/906872");
        Map<String, Object> body = RequestWorkflowTest.body("330000-01-02/906872", List.of("GMSFHM", "XM"));
        long requests = count(ShareRequest.class);
        refused(post(consumer, "/requests", with(body, "scenario", TOO_LONG)), "scenario");
        refused(post(consumer, "/requests", with(body, "purpose", "长".repeat(201))), "purpose");
        refused(post(consumer, "/requests", with(body, "scope", "本部门" + CONTROL)), "scope");
        refused(post(consumer, "/requests", with(body, "legalBasis", "《社会保险法》" + LONE)), "legalBasis");
        refused(post(consumer, "/requests", with(body, "items", List.of("GMSFHM", "XM" + CONTROL))), "items[1]");
        refused(post(consumer, "/requests", with(body, "covertUse", Map.of("legalBasis",
                "《中华人民共和国刑事诉讼法》第一百五十条" + CONTROL))), "covertUse.legalBasis");
        assertEquals(requests, count(ShareRequest.class));

        long id = GrantDisposalTest.pending(consumer, "330000-01-02/906872");
        String provider = operator(RequestWorkflowTest.PROVIDER);
        refused(post(provider, "/requests/" + id + "/refuse", Map.of("version", 0, "reason", "不符" + CONTROL)),
                "reason");
        refused(post(provider, "/requests/" + id + "/approve", Map.of("version", 0, "note", TOO_LONG)), "note");
        refused(post(provider, "/requests/" + id + "/supplement", Map.of("version", 0, "reason", TOO_LONG)),
                "reason");
        refused(post(consumer, "/requests/" + id + "/withdraw", Map.of("version", 0, "reason", "撤回" + LONE)),
                "reason");
        given().auth().oauth2(consumer).get("/api/exchange/v1/requests/" + id).then().statusCode(200)
                .body("status", equalTo("PENDING")).body("version", equalTo(0));
    }

    @Test
    void grantsAndUsageRecords() {
        String consumer = operator("11330000MB00000687");
        long grant = GrantDisposalTest.approved(replica, "330000-01-02/906873", consumer, null);
        String provider = operator(RequestWorkflowTest.PROVIDER);
        refused(post(provider, "/grants/" + grant + "/suspend", Map.of("version", 0, "reason", "暂停" + CONTROL)),
                "reason");
        refused(post(provider, "/grants/" + grant + "/change", Map.of("version", 0, "reason", "变更" + LONE,
                "items", List.of("GMSFHM"))), "reason");
        refused(post(provider, "/grants/" + grant + "/terminate", Map.of("version", 0, "reason", "长".repeat(4001))),
                "reason");
        refused(post(provider, "/grants/" + grant + "/terminate", Map.of("version", 0, "reason", "终止",
                "disposalRequirement", Map.of("method", "OTHER", "instructions", "删除" + CONTROL))),
                "disposalRequirement.instructions");
        given().auth().oauth2(consumer).get("/api/exchange/v1/grants/" + grant).then().statusCode(200)
                .body("status", equalTo("ACTIVE")).body("version", equalTo(0));

        long records = count(UsageRecord.class);
        refused(post(consumer, "/grants/" + grant + "/usage-records", Map.of("kind", "SCENARIO",
                "description", "用于" + CONTROL)), "description");
        refused(post(consumer, "/grants/" + grant + "/usage-records", Map.of("kind", "STORAGE",
                "description", "存储", "location", "省政务云" + LONE)), "location");
        assertEquals(records, count(UsageRecord.class));
    }

    @Test
    void complaintsAndCorrections() {
        String rid = "txt-" + UUID.randomUUID();
        UsageLogTest.lookup(FakeCatalog.POPULATION, ComplaintTest.WANG_ID, rid).then().statusCode(200);
        String wang = ComplaintTest.citizen("wang", ComplaintTest.WANG_ID);
        long seq = ComplaintTest.seqOf(wang, rid);
        long complaints = count(Complaint.class);
        refused(post(wang, "/me/complaints", Map.of("usageLogSeq", seq, "description", "未办理业务" + LONE)),
                "description");
        refused(post(wang, "/me/complaints", Map.of("usageLogSeq", seq, "description", "未办理业务",
                "requestedRemedy", "说明" + CONTROL)), "requestedRemedy");
        assertEquals(complaints, count(Complaint.class));

        long corrections = count(Correction.class);
        Map<String, Object> correction = CorrectionTest.address("文三路 98 号");
        refused(post(wang, "/me/corrections", with(correction, "evidence", "户口簿" + CONTROL)), "evidence");
        refused(post(wang, "/me/corrections", with(correction, "correctValue", "文三路" + LONE)), "correctValue");
        refused(post(wang, "/me/corrections", with(correction, "description", TOO_LONG)), "description");
        assertEquals(corrections, count(Correction.class));
    }

    @Test
    void incidents() {
        long incidents = count(SecurityIncident.class);
        Map<String, Object> report = IncidentTest.report("LEAK", new ArrayList<>());
        refused(post(admin(), "/incidents", with(report, "description", "泄露" + CONTROL)), "description");
        refused(post(admin(), "/incidents", with(report, "measuresTaken", "长".repeat(4001))), "measuresTaken");
        refused(post(admin(), "/incidents", with(report, "discoveredAt", "2026-12-01T08:00:00+08:00" + LONE)),
                "discoveredAt");
        assertEquals(incidents, count(SecurityIncident.class));
    }
}
