package cn.onenet.identity.enterprises;

import static cn.onenet.identity.enterprises.Enterprises.ME;
import static cn.onenet.identity.enterprises.Enterprises.REGISTRY;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.onenet.identity.enterprises.Enterprises.Person;
import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.AuditEvent;
import cn.onenet.identity.model.Delegation;
import cn.onenet.identity.model.DelegationStatus;
import cn.onenet.identity.model.LegalPersonRecord;
import cn.onenet.identity.model.RegistryStatus;
import cn.onenet.identity.model.RepresentativeChange;
import cn.onenet.identity.oidc.OidcFlow;
import io.quarkus.test.junit.QuarkusTest;

/** 法人库: administrators load it as JSON or CSV; a changed legal representative is recorded, not switched. */
@QuarkusTest
class LegalPersonRegistryLoadTest extends EnterpriseTestBase {

    /** RestAssured would send text as ISO-8859-1 otherwise. */
    private static final String CSV = "text/csv; charset=UTF-8";

    /** Read in a transaction of its own: the test's session may hold the row as it was. */
    private static java.util.UUID representative(java.util.UUID enterprise) {
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> Account.<Account>findById(
                enterprise).legalRepresentativeId);
    }

    @Test
    void onlyAdministratorsLoad() {
        String uscc = Enterprises.uscc();
        List<Map<String, Object>> rows = List.of(Enterprises.row(uscc, "杭州权限有限公司", "33010619850312001X", "存续"));
        given().contentType("application/json").body(Map.of("rows", rows)).post(REGISTRY).then().statusCode(401);
        Enterprises.load(OidcFlow.accessToken("test-web", "dsj.auditor"), rows).then().statusCode(403)
                .contentType("application/problem+json");
        Enterprises.load(OidcFlow.accessToken("test-web", "33010619850312001X"), rows).then().statusCode(403);
        given().auth().oauth2(OidcFlow.accessToken("test-web", "dsj.auditor")).contentType(CSV)
                .body("uscc,name,representativeIdNumber,status\n" + uscc + ",x,33010619850312001X,存续\n").post(REGISTRY)
                .then().statusCode(403);
        assertNull(LegalPersonRecord.findById(uscc));
        Enterprises.load(Enterprises.admin(), rows).then().statusCode(200).body("rows", equalTo(1))
                .body("added", equalTo(1)).body("replaced", equalTo(0));
        LegalPersonRecord record = LegalPersonRecord.findById(uscc);
        assertEquals(RegistryStatus.IN_BUSINESS, record.status);
        assertEquals(43, record.representativeIdDigest.length());
        assertFalse(record.representativeIdDigest.contains("33010619850312001X"));
        // nothing in the table holds the ID number in clear
        Object clear = LegalPersonRecord.getEntityManager().createNativeQuery("SELECT count(*) FROM "
                + "legal_person_registry r WHERE r::text LIKE '%33010619850312001X%'").getSingleResult();
        assertEquals(0L, ((Number) clear).longValue());
        assertTrue(AuditEvent.count("eventType = 'LEGAL_PERSON_REGISTRY_LOADED' and detail like ?1",
                "rows=1 added=1%") > 0);
    }

    /** CSV with quoted names, columns in any order; a digest loaded instead of the number still matches. */
    @Test
    void csvAndDigestRows() {
        Person rep = Enterprises.person(accounts, "冯 表格", 3);
        String first = Enterprises.uscc();
        String second = Enterprises.uscc();
        String csv = "\uFEFFstatus,uscc,name,representativeIdNumber\r\n"
                + "存续," + first + ",\"杭州表格,数据有限公司\"," + rep.idNumber() + "\r\n"
                + "\r\n"
                + "IN_BUSINESS," + second + ",\"杭州 \"\"引号\"\" 有限公司（分部）\"," + rep.idNumber() + "\r\n";
        given().auth().oauth2(Enterprises.admin()).contentType(CSV).body(csv).post(REGISTRY).then()
                .statusCode(200).body("rows", equalTo(2)).body("added", equalTo(2));
        assertEquals("杭州表格,数据有限公司", LegalPersonRecord.<LegalPersonRecord>findById(first).name);
        assertEquals("杭州 \"引号\" 有限公司（分部）", LegalPersonRecord.<LegalPersonRecord>findById(second).name);
        // reloaded by its digest (as kept), with another status: replaced, still the same representative
        String digest = LegalPersonRecord.<LegalPersonRecord>findById(first).representativeIdDigest;
        given().auth().oauth2(Enterprises.admin()).contentType("application/json").body(Map.of("rows", List.of(
                Map.of("uscc", first, "name", "杭州表格,数据有限公司", "representativeIdDigest", digest, "status", "吊销"))))
                .post(REGISTRY).then().statusCode(200).body("added", equalTo(0)).body("replaced", equalTo(1));
        String token = rep.token();
        Enterprises.register(token, first, "杭州表格,数据有限公司").then().statusCode(422);
        given().auth().oauth2(Enterprises.admin()).contentType("application/json").body(Map.of("rows", List.of(
                Map.of("uscc", first, "name", "杭州表格,数据有限公司", "representativeIdDigest", digest, "status", "存续"))))
                .post(REGISTRY).then().statusCode(200);
        Enterprises.register(token, first, "杭州表格,数据有限公司").then().statusCode(201);
        Enterprises.register(token, second, "杭州\"引号\"有限公司(分部)").then().statusCode(201);
    }

    /** One bad row refuses the whole load, naming the row and field. */
    @Test
    void badRowsAreNamedAndNothingIsLoaded() {
        String admin = Enterprises.admin();
        String good = Enterprises.uscc();
        String bad = good.substring(0, 17) + (good.charAt(17) == '0' ? '1' : '0');
        Map<String, Object> ok = Enterprises.row(good, "杭州好行有限公司", "33010619850312001X", "存续");
        Map<String, Object> both = new HashMap<>(Enterprises.row(Enterprises.uscc(), "杭州两者有限公司",
                "33010619850312001X", "存续"));
        both.put("representativeIdDigest", "A".repeat(43));
        given().auth().oauth2(admin).contentType("application/json").body(Map.of("rows", List.of(ok,
                Enterprises.row(bad, "", "330106198503120011", "营业")))).post(REGISTRY).then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", equalTo(List.of("rows[1].uscc",
                        "rows[1].name", "rows[1].representativeIdNumber", "rows[1].status")));
        given().auth().oauth2(admin).contentType("application/json").body(Map.of("rows", List.of(ok, both, ok)))
                .post(REGISTRY).then().statusCode(400).body("errors.field", equalTo(List.of(
                        "rows[1].representativeIdNumber", "rows[2].uscc")));
        given().auth().oauth2(admin).contentType("application/json").body(Map.of("rows", List.of(Map.of("uscc",
                good, "name", "杭州摘要有限公司", "representativeIdDigest", "short", "status", "存续")))).post(REGISTRY)
                .then().statusCode(400).body("errors.field", equalTo(List.of("rows[0].representativeIdDigest")));
        given().auth().oauth2(admin).contentType("application/json").body(Map.of("rows", List.of())).post(REGISTRY)
                .then().statusCode(400).body("errors.field", equalTo(List.of("rows")));
        given().auth().oauth2(admin).contentType("application/json").body("{}").post(REGISTRY).then()
                .statusCode(400).body("errors.field", equalTo(List.of("rows")));
        given().auth().oauth2(admin).contentType(CSV).body("uscc,name,colour\n" + good + ",x,red\n")
                .post(REGISTRY).then().statusCode(400).body("errors.field", equalTo(List.of("header")));
        given().auth().oauth2(admin).contentType(CSV).body("uscc,name,representativeIdNumber,status\n" + good
                + ",x,33010619850312001X\n").post(REGISTRY).then().statusCode(400)
                .body("errors.field", equalTo(List.of("rows[0]")));
        given().auth().oauth2(admin).contentType(CSV).body("uscc,name,representativeIdNumber,status\n" + good
                + ",\"unterminated,33010619850312001X,存续\n").post(REGISTRY).then().statusCode(400)
                .contentType("application/problem+json");
        // more rows than one load may hold (IDENTITY_LEGAL_PERSON_REGISTRY_MAX_ROWS, 5000)
        List<Map<String, Object>> many = java.util.Collections.nCopies(5001, ok);
        given().auth().oauth2(admin).contentType("application/json").body(Map.of("rows", many)).post(REGISTRY)
                .then().statusCode(400).body("errors.field", equalTo(List.of("rows")));
        assertNull(LegalPersonRecord.findById(good));
    }

    /**
     * A load naming another representative for a registered enterprise does not switch its account: the change is
     * recorded once and both persons told; the person the register names takes the enterprise over by registering it,
     * the former one is told, and the delegation the former one created ends (see TakeoverEndsDelegationsTest).
     */
    @Test
    void aNewRepresentativeIsRecordedAndTakesOverExplicitly() {
        Person before = Enterprises.person(accounts, "陈 旧任", 3);
        Person after = Enterprises.person(accounts, "林 新任", 3);
        Person stranger = Enterprises.person(accounts, "黄 旁人", 3);
        String uscc = Enterprises.uscc();
        String name = "杭州换任科技有限公司";
        String admin = Enterprises.admin();
        Enterprises.load(admin, List.of(Enterprises.row(uscc, name, before.idNumber(), "存续"))).then()
                .statusCode(200).body("representativeChanges", equalTo(List.of()));
        String beforeToken = before.token();
        Enterprises.register(beforeToken, uscc, name).then().statusCode(201);
        Account enterprise = Account.find("uscc", uscc).firstResult();
        String delegation = given().auth().oauth2(beforeToken).contentType("application/json").body(Map.of(
                "enterpriseUscc", uscc, "agentIdNumber", stranger.idNumber(), "agentName", stranger.name(), "validTo",
                OffsetDateTime.now().plusDays(30).toString())).post("/api/identity/v1/delegations").then()
                .statusCode(201).extract().path("id");
        // the register now names another person: recorded, the account unchanged, both told
        Enterprises.load(admin, List.of(Enterprises.row(uscc, name, after.idNumber(), "存续"))).then().statusCode(200)
                .body("representativeChanges", equalTo(List.of(uscc)));
        assertEquals(before.id(), representative(enterprise.id));
        RepresentativeChange change = RepresentativeChange.open(enterprise.id);
        assertEquals(before.id(), change.recordedRepresentativeId);
        assertEquals(after.id(), change.newRepresentativeId);
        assertEquals(1, Enterprises.told(before.id(), "LEGAL_REPRESENTATIVE_CHANGED").size());
        assertEquals(1, Enterprises.told(after.id(), "LEGAL_REPRESENTATIVE_CHANGED").size());
        assertTrue(Enterprises.told(after.id(), "LEGAL_REPRESENTATIVE_CHANGED").get(0).body.contains(uscc));
        assertEquals(1, AuditEvent.count("eventType = 'LEGAL_REPRESENTATIVE_CHANGE_RECORDED' and subject = ?1",
                enterprise.id.toString()));
        // loading the same again records and tells nothing more
        Enterprises.load(admin, List.of(Enterprises.row(uscc, name, after.idNumber(), "存续"))).then().statusCode(200)
                .body("representativeChanges", equalTo(List.of()));
        assertEquals(1, Enterprises.told(before.id(), "LEGAL_REPRESENTATIVE_CHANGED").size());
        // the recorded representative still acts, and sees the change
        given().auth().oauth2(beforeToken).get(ME).then().statusCode(200).body("[0].uscc", equalTo(uscc))
                .body("[0].representativeChangeRecordedAt", notNullValue());
        // someone else registering the code is refused as before
        Enterprises.register(stranger.token(), uscc, name).then().statusCode(403);
        // the new representative takes it over with their own explicit registration
        String afterToken = after.token();
        Enterprises.register(afterToken, uscc, name).then().statusCode(200).body("id", equalTo(enterprise.id
                .toString())).body("representativeChangeRecordedAt", nullValue()).body("delegationsEnded", equalTo(1));
        assertEquals(after.id(), representative(enterprise.id));
        assertNull(RepresentativeChange.open(enterprise.id));
        assertEquals(2, Enterprises.told(before.id(), "LEGAL_REPRESENTATIVE_CHANGED").size());
        assertEquals(1, Enterprises.told(after.id(), "ENTERPRISE_REGISTERED").size());
        given().auth().oauth2(beforeToken).get(ME).then().statusCode(200).body("size()", equalTo(0));
        given().auth().oauth2(afterToken).get(ME).then().statusCode(200).body("uscc", equalTo(List.of(uscc)));
        // the invitation the former representative created ended with the takeover
        assertEquals(DelegationStatus.REVOKED, io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(
                () -> Delegation.<Delegation>findById(java.util.UUID.fromString(delegation)).status));
        Enterprises.register(afterToken, uscc, name).then().statusCode(409);
    }

    /** A later load naming the recorded representative again ends the record; no takeover is possible then. */
    @Test
    void aChangeLoadedBackEndsTheRecord() {
        Person rep = Enterprises.person(accounts, "何 原任", 3);
        Person other = Enterprises.person(accounts, "罗 暂任", 3);
        String uscc = Enterprises.uscc();
        String admin = Enterprises.admin();
        Enterprises.load(admin, List.of(Enterprises.row(uscc, "杭州回转有限公司", rep.idNumber(), "存续")));
        Enterprises.register(rep.token(), uscc, "杭州回转有限公司").then().statusCode(201);
        Account enterprise = Account.find("uscc", uscc).firstResult();
        Enterprises.load(admin, List.of(Enterprises.row(uscc, "杭州回转有限公司", other.idNumber(), "存续"))).then()
                .body("representativeChanges", equalTo(List.of(uscc)));
        Enterprises.load(admin, List.of(Enterprises.row(uscc, "杭州回转有限公司", rep.idNumber(), "存续"))).then()
                .statusCode(200).body("representativeChanges", equalTo(List.of()));
        assertNull(RepresentativeChange.open(enterprise.id));
        assertEquals(RepresentativeChange.REVERTED, RepresentativeChange.<RepresentativeChange>find("enterpriseId",
                enterprise.id).firstResult().outcome);
        Enterprises.register(other.token(), uscc, "杭州回转有限公司").then().statusCode(403);
        assertEquals(rep.id(), representative(enterprise.id));
    }
}
