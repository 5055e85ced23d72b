package cn.onenet.identity.enterprises;

import static cn.onenet.identity.enterprises.Enterprises.REGISTRY;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import cn.onenet.identity.enterprises.Enterprises.Person;
import cn.onenet.identity.accounts.TestAdministrators;
import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.AccountType;
import cn.onenet.identity.model.AuditEvent;
import cn.onenet.identity.model.LegalPersonRecord;
import cn.onenet.identity.oidc.OidcFlow;
import cn.onenet.identity.service.AccountService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * 法人库 read by administrators and auditors (rows and recorded changes, no ID number or digest), and a load turning
 * a registered enterprise to 吊销 or 注销: recorded, told, shown in the account view, the account left enabled.
 */
@QuarkusTest
class LegalPersonRegistryReadTest extends EnterpriseTestBase {

    private static final String CHANGES = REGISTRY + "/changes";
    private static final String ACCOUNTS = "/api/identity/v1/accounts/";
    /** The department of the demo administrators (大数据局). */
    private static final String DSJ = "113300000024810109";

    @Test
    void administratorsAndAuditorsReadRowsAndChangesWithoutIdNumbers() {
        Person rep = Enterprises.person(accounts, "邵 阅读", 3);
        Person next = Enterprises.person(accounts, "韩 接任", 3);
        String registered = Enterprises.uscc();
        String unregistered = Enterprises.uscc();
        String admin = Enterprises.admin();
        Enterprises.load(admin, List.of(Enterprises.row(registered, "杭州阅读有限公司", rep.idNumber(), "存续"),
                Enterprises.row(unregistered, "杭州未注册有限公司", rep.idNumber(), "存续"))).then().statusCode(200);
        Enterprises.register(rep.token(), registered, "杭州阅读有限公司").then().statusCode(201);
        Enterprises.load(admin, List.of(Enterprises.row(registered, "杭州阅读有限公司", next.idNumber(), "存续")))
                .then().statusCode(200).body("representativeChanges", equalTo(List.of(registered)))
                .body("statusChanges", equalTo(List.of()));
        String digest = LegalPersonRecord.<LegalPersonRecord>findById(registered).representativeIdDigest;

        // nobody signed in, a citizen and an enterprise's representative: refused
        given().get(REGISTRY).then().statusCode(401);
        given().get(CHANGES).then().statusCode(401);
        given().auth().oauth2(rep.token()).get(REGISTRY).then().statusCode(403)
                .contentType("application/problem+json");
        given().auth().oauth2(rep.token()).get(CHANGES).then().statusCode(403);
        given().auth().oauth2(OidcFlow.accessToken("test-web", "gat.operator")).get(REGISTRY).then().statusCode(403);

        for (String reader : List.of(admin, OidcFlow.accessToken("test-web", "dsj.auditor"))) {
            Response rows = given().auth().oauth2(reader).queryParam("uscc", registered.substring(4).toLowerCase())
                    .get(REGISTRY);
            rows.then().statusCode(200).header("X-Total-Count", "1").body("uscc", equalTo(List.of(registered)))
                    .body("[0].name", equalTo("杭州阅读有限公司")).body("[0].status", equalTo("IN_BUSINESS"))
                    .body("[0].statusLabel", equalTo("存续")).body("[0].accountExists", equalTo(true))
                    .body("[0].loadedBy", equalTo("dsj.admin"));
            assertFalse(rows.asString().contains(next.idNumber()) || rows.asString().contains(digest),
                    rows.asString());
            given().auth().oauth2(reader).queryParam("uscc", unregistered).get(REGISTRY).then().statusCode(200)
                    .body("[0].accountExists", equalTo(false));
            Response changes = given().auth().oauth2(reader).queryParam("uscc", registered).get(CHANGES);
            changes.then().statusCode(200).header("X-Total-Count", "1").body("[0].kind", equalTo("REPRESENTATIVE"))
                    .body("[0].uscc", equalTo(registered)).body("[0].enterpriseName", equalTo("杭州阅读有限公司"))
                    .body("[0].recordedRepresentative", matchesPattern("邵\\*+"))
                    .body("[0].newRepresentative", matchesPattern("韩\\*+")).body("[0].endedAt", nullValue())
                    .body("[0].detectedBy", equalTo("dsj.admin"));
            String body = changes.asString();
            assertFalse(body.contains(rep.idNumber()) || body.contains(next.idNumber()) || body.contains(digest)
                    || body.contains("阅读\"") || body.contains(rep.id().toString()), body);
        }
        // the auditor reads but does not load
        Enterprises.load(OidcFlow.accessToken("test-web", "dsj.auditor"), List.of(Enterprises.row(unregistered,
                "杭州未注册有限公司", rep.idNumber(), "吊销"))).then().statusCode(403);

        // bad paging and filters are problems naming the parameter
        given().auth().oauth2(admin).queryParam("size", 0).get(REGISTRY).then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", equalTo(List.of("size")));
        given().auth().oauth2(admin).queryParam("page", -1).get(CHANGES).then().statusCode(400)
                .body("errors.field", equalTo(List.of("page")));
        given().auth().oauth2(admin).queryParam("kind", "colour").get(CHANGES).then().statusCode(400)
                .body("errors.field", equalTo(List.of("kind")));
        given().auth().oauth2(admin).queryParam("uscc", "9".repeat(101)).get(REGISTRY).then().statusCode(400)
                .body("errors.field", equalTo(List.of("uscc")));
    }

    /**
     * A load turning a registered enterprise to 吊销 is recorded as a STATUS change, its representative and the
     * administrators are told, and the account view shows it; the account stays enabled. The same status loaded
     * again records nothing more; 注销 afterwards is recorded again.
     */
    @Test
    void aLoadEndingARegisteredEnterpriseIsRecordedAndToldButDisablesNothing() {
        Person rep = Enterprises.person(accounts, "唐 吊销", 3);
        String uscc = Enterprises.uscc();
        String name = "杭州状态变更有限公司";
        String admin = Enterprises.admin();
        Account other = QuarkusTransaction.requiringNew().call(() -> accounts.create(new AccountService.NewAccount(
                AccountType.CIVIL_SERVANT, "dsj.admin" + UUID.randomUUID().toString().substring(0, 6), "管理员乙", null,
                null, DSJ, null, Set.of("admin"), OidcFlow.PASSWORD, "admin-b@dsj.example.cn", null), "test"));
        try {
            statusChangeIsRecordedAndTold(rep, uscc, name, admin, other);
        } finally {
            // other tests count the enabled administrators: this one goes again (as it came, without the API's
            // second administrator)
            TestAdministrators.disable(other.id.toString());
        }
    }

    private void statusChangeIsRecordedAndTold(Person rep, String uscc, String name, String admin, Account other) {
        Enterprises.load(admin, List.of(Enterprises.row(uscc, name, rep.idNumber(), "存续"))).then().statusCode(200);
        String id = given().auth().oauth2(rep.token()).contentType("application/json").body(Map.of("uscc", uscc,
                "name", name, "englishName", "Hangzhou Status Change Co., Ltd.")).post(Enterprises.ME).then()
                .statusCode(201).extract().path("id");
        given().auth().oauth2(admin).get(ACCOUNTS + id).then().statusCode(200)
                .body("englishName", equalTo("Hangzhou Status Change Co., Ltd."))
                .body("registryStatus", equalTo("IN_BUSINESS"));

        Enterprises.load(admin, List.of(Enterprises.row(uscc, name, rep.idNumber(), "吊销"))).then().statusCode(200)
                .body("statusChanges", equalTo(List.of(uscc))).body("representativeChanges", equalTo(List.of()));
        given().auth().oauth2(admin).get(ACCOUNTS + id).then().statusCode(200).body("status", equalTo("ACTIVE"))
                .body("registryStatus", equalTo("REVOKED"));
        given().auth().oauth2(OidcFlow.accessToken("test-web", "dsj.auditor")).get(ACCOUNTS + id).then()
                .statusCode(200).body("registryStatus", equalTo("REVOKED"));
        assertTrue(Enterprises.told(rep.id(), "REGISTRY_STATUS_CHANGED").stream()
                .anyMatch(m -> m.recipient.equals(rep.phone()) && m.body.contains(uscc) && m.body.contains("吊销")));
        assertTrue(Enterprises.told(other.id, "REGISTRY_STATUS_CHANGED").stream()
                .anyMatch(m -> m.recipient.equals("admin-b@dsj.example.cn") && m.body.contains(uscc)));
        assertEquals(1, AuditEvent.count("eventType = 'LEGAL_PERSON_STATUS_CHANGE_RECORDED' and subject = ?1", id));
        given().auth().oauth2(admin).queryParam("uscc", uscc).queryParam("kind", "status").get(CHANGES).then()
                .statusCode(200).header("X-Total-Count", "1").body("[0].kind", equalTo("STATUS"))
                .body("[0].previousStatus", equalTo("IN_BUSINESS")).body("[0].registryStatus", equalTo("REVOKED"))
                .body("[0].recordedRepresentative", matchesPattern("唐\\*+")).body("[0].newRepresentative", nullValue());
        // the representative still acts for it: lists it and is not told it was disabled
        given().auth().oauth2(rep.token()).get(Enterprises.ME).then().statusCode(200)
                .body("uscc", equalTo(List.of(uscc))).body("[0].status", equalTo("ACTIVE"));

        // the same status again records nothing; 注销 afterwards is a second record
        Enterprises.load(admin, List.of(Enterprises.row(uscc, name, rep.idNumber(), "吊销"))).then().statusCode(200)
                .body("statusChanges", equalTo(List.of()));
        assertEquals(1, Enterprises.told(rep.id(), "REGISTRY_STATUS_CHANGED").size());
        Enterprises.load(admin, List.of(Enterprises.row(uscc, name, rep.idNumber(), "注销"))).then().statusCode(200)
                .body("statusChanges", equalTo(List.of(uscc)));
        given().auth().oauth2(admin).queryParam("uscc", uscc).get(CHANGES).then().statusCode(200)
                .header("X-Total-Count", "2").body("registryStatus", equalTo(List.of("DEREGISTERED", "REVOKED")))
                .body("previousStatus", equalTo(List.of("REVOKED", "IN_BUSINESS")));
        given().auth().oauth2(admin).get(ACCOUNTS + id).then().body("status", equalTo("ACTIVE"))
                .body("registryStatus", equalTo("DEREGISTERED"));
        // a code without an account: no record, nobody told
        String unregistered = Enterprises.uscc();
        Enterprises.load(admin, List.of(Enterprises.row(unregistered, "杭州无账户有限公司", rep.idNumber(), "注销")))
                .then().statusCode(200).body("statusChanges", equalTo(List.of()));
    }

    /** The reads are documented with their examples and their roles. */
    @Test
    void theReadsAreInTheOpenApiDocument() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("paths.'/api/identity/v1/legal-person-registry'.get.responses", hasKey("200"))
                .body("paths.'/api/identity/v1/legal-person-registry'.get.summary", containsString("auditor"))
                .body("paths.'/api/identity/v1/legal-person-registry/changes'.get.responses", hasKey("400"))
                .body("paths.'/api/identity/v1/legal-person-registry/changes'.get.responses.'200'.content"
                        + ".'application/json'.examples", hasKey("changes"))
                .body("components.schemas.LegalPersonRegistryOutcome.properties", hasKey("statusChanges"))
                .body("components.schemas.Account.properties", hasKey("registryStatus"));
    }

    /** An enterprise's English name is in its copy of its data (GET me/export). */
    @Test
    void theEnglishNameIsInTheEnterprisesCopyOfItsData() {
        Person rep = Enterprises.person(accounts, "蒋 导出", 3);
        String uscc = Enterprises.uscc();
        Account enterprise = QuarkusTransaction.requiringNew().call(() -> {
            Account a = accounts.create(new AccountService.NewAccount(AccountType.LEGAL_PERSON, null, "杭州导出有限公司",
                    null, uscc, null, rep.id(), null, OidcFlow.PASSWORD, null, null), "test");
            a.englishName = "Hangzhou Export Co., Ltd.";
            return a;
        });
        given().auth().oauth2(OidcFlow.accessToken("test-web", uscc)).get("/api/identity/v1/me/export").then()
                .statusCode(200).body("profile.uscc", equalTo(uscc))
                .body("profile.englishName", equalTo("Hangzhou Export Co., Ltd."));
        given().auth().oauth2(rep.token()).get("/api/identity/v1/me/export").then().statusCode(200)
                .body("profile.englishName", nullValue());
        given().auth().oauth2(Enterprises.admin()).get(ACCOUNTS + enterprise.id).then().statusCode(200)
                .body("englishName", equalTo("Hangzhou Export Co., Ltd.")).body("registryStatus", nullValue());
    }
}
