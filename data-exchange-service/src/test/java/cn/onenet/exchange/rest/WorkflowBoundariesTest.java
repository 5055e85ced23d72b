package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.service.DemoData;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The request → answer → grant workflow seen from departments that are no party: what they are told of ids that are
 * not theirs must not differ from what they are told of ids that do not exist.
 */
@QuarkusTest
class WorkflowBoundariesTest extends ExchangeTestBase {

    static final String CONSUMER = "11330000MB00000591";
    static final String THIRD = "11330000MB00000592";

    @Test
    void anotherDepartmentCannotTellAnEndedGrantFromAMissingOneByConfirmingItsDisposal() {
        String code = "330000-01-02/905691";
        long grant = GrantDisposalTest.approved(replica, code, operator(CONSUMER), null);
        GrantDisposalTest.terminate(operator(RequestWorkflowTest.PROVIDER), grant,
                GrantDisposalTest.version(operator(CONSUMER), grant), null).then().statusCode(200);
        int version = GrantDisposalTest.version(operator(CONSUMER), grant);
        Map<String, Object> body = Map.of("version", version, "reason", "已删除全部共享数据");

        // a department that is no party: the same 404 as for a grant that does not exist, nothing named
        List<Integer> answers = List.of(disposal(operator(THIRD), grant, body),
                disposal(operator(THIRD), 987654321L, body));
        assertEquals(List.of(404, 404), answers, "confirming disposal by a third department: existing grant, missing "
                + "grant");
        given().auth().oauth2(operator(THIRD)).get("/api/exchange/v1/grants/" + grant).then().statusCode(404);
        // the provider sees the grant but does not confirm the consumer's disposal: 403
        assertEquals(403, disposal(operator(RequestWorkflowTest.PROVIDER), grant, body));
        // the consumer does
        assertEquals(200, disposal(operator(CONSUMER), grant, body));
    }

    @Test
    void anExtensionAskedBeforeASupplementDoesNotExtendTheDeadlineOfTheResubmission() {
        String provider = operator(RequestWorkflowTest.PROVIDER);
        long id = pendingWithExtension("330000-01-02/905692");
        // the provider then asks for what is missing: the deadline the extension was asked for stops running
        RequestWithdrawAndExtensionTest.post(provider, id, "supplement",
                Map.of("version", 1, "reason", "请补充法定职责依据文件")).statusCode(200);
        // the 主管部门 that was to decide the extension is told it need not
        assertEquals(1, RequestWithdrawAndExtensionTest.notices(DemoData.AUTHORITY, null, "EXTENSION_LAPSED", id));
        String resubmitted = RequestWithdrawAndExtensionTest.post(operator(CONSUMER), id, "resubmit",
                Map.of("version", 2, "scope", "补充后的范围")).statusCode(200).body("status", equalTo("PENDING"))
                .extract().jsonPath().getString("dueOn");
        int version = given().auth().oauth2(provider).get(RequestWithdrawAndExtensionTest.API + id).then()
                .statusCode(200).extract().jsonPath().getInt("version");

        // the resubmission runs its own full 10 working days: the old extension is not there to approve
        RequestWithdrawAndExtensionTest.post(reviewer(), id, "extension/approve", Map.of("version", version))
                .statusCode(409).body("type", equalTo("urn:onenet:problem:illegal-transition"));
        given().auth().oauth2(provider).get(RequestWithdrawAndExtensionTest.API + id).then().statusCode(200)
                .body("dueOn", equalTo(resubmitted));
        // the provider may ask for the one extension of this deadline, which the 主管部门 then decides
        RequestWithdrawAndExtensionTest.post(provider, id, "extension",
                Map.of("version", version, "reason", "补充材料涉及跨部门核对", "days", 3)).statusCode(200);
        RequestWithdrawAndExtensionTest.post(reviewer(), id, "extension/approve", Map.of("version", version + 1))
                .statusCode(200).body("extended", equalTo(true));
        RequestWithdrawAndExtensionTest.history(provider, id).body("action", equalTo(List.of("FILE",
                "REQUEST_EXTENSION", "ASK_SUPPLEMENT", "RESUBMIT", "REQUEST_EXTENSION", "APPROVE_EXTENSION")))
                .body("[2].details.extensionLapsed", equalTo(5));
    }

    @Test
    void anExtensionPendingWhenARequestWasRefusedDoesNotExtendItOnceADisputeReopensIt() {
        String provider = operator(RequestWorkflowTest.PROVIDER);
        long id = pendingWithExtension("330000-01-02/905693");
        // refused before the 主管部门 decided the extension
        RequestWithdrawAndExtensionTest.post(provider, id, "refuse", Map.of("version", 1, "reason", "用途不符"))
                .statusCode(200).body("status", equalTo("REFUSED"));
        long dispute = given().auth().oauth2(operator(CONSUMER)).contentType(ContentType.JSON)
                .body(DisputeObjectionTest.refusalDispute(id, "履行法定职责确需该数据")).post("/api/exchange/v1/disputes")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        given().auth().oauth2(reviewer()).contentType(ContentType.JSON)
                .body(Map.of("version", 0, "outcome", "SHARE", "resolution", "经协调，应按有条件共享办理"))
                .post("/api/exchange/v1/disputes/" + dispute + "/resolve").then().statusCode(200);
        var reopened = given().auth().oauth2(provider).get(RequestWithdrawAndExtensionTest.API + id).then()
                .statusCode(200).body("status", equalTo("PENDING")).extract().jsonPath();

        // the reopened request has a full deadline of its own: the extension asked for the old one is not decided
        RequestWithdrawAndExtensionTest.post(reviewer(), id, "extension/approve",
                Map.of("version", reopened.getInt("version"))).statusCode(409)
                .body("type", equalTo("urn:onenet:problem:illegal-transition"));
        given().auth().oauth2(provider).get(RequestWithdrawAndExtensionTest.API + id).then().statusCode(200)
                .body("dueOn", equalTo(reopened.getString("dueOn")));
        RequestWithdrawAndExtensionTest.history(provider, id)
                .body("find { it.action == 'REOPEN_AFTER_DISPUTE' }.details.extensionLapsed", equalTo(5));
    }

    /** A pending request on a fresh 有条件共享 entry whose provider asked for 5 more working days (version 1). */
    private long pendingWithExtension(String code) {
        DeliveryTest.freshEntry(replica, code, "CONDITIONAL");
        long id = RequestWithdrawAndExtensionTest.pending(operator(CONSUMER), code);
        RequestWithdrawAndExtensionTest.post(operator(RequestWorkflowTest.PROVIDER), id, "extension",
                Map.of("version", 0, "reason", "需核对历史数据", "days", 5)).statusCode(200);
        return id;
    }

    private static int disposal(String token, long grant, Map<String, Object> body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .post("/api/exchange/v1/grants/" + grant + "/disposal").then().extract().statusCode();
    }
}
