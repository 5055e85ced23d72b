package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.jwk.OctetKeyPair;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.service.LogEntry;
import cn.onenet.exchange.service.UsageLogWriter;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * A department's 统一社会信用代码 is one code in either letter case, kept and compared as identity-service's register
 * keeps it and tokens carry it (upper case): an entry the catalogue's feed sends with its provider's code in lower case
 * (as catalog-service stored some before its V14) is its provider's, whose staff list it, see the requests filed on it
 * and the usage log of it; a code in a path, a query or a token in lower case names the same department. The usage log
 * keeps a code as it was recorded (hash-chained) and is read in any letter case.
 */
@QuarkusTest
class DepartmentCodeCaseTest extends ExchangeTestBase {

    static final String PROVIDER = "11330000MC00000691";
    static final String PROVIDER_LOWER = "11330000mc00000691";
    static final String CONSUMER = "11330000MC00000692";
    static final String ENTRY = "330000-01-02/906901";
    static final String API = "/api/exchange/v1";

    @Inject
    UsageLogWriter usageLog;
    @Inject
    EntityManager em;

    /** An entry of PROVIDER whose feed item names its provider in lower case (once). */
    void catalogued() {
        if (QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("SELECT count(*) FROM catalog_entry "
                + "WHERE resource_code = ?1").setParameter(1, ENTRY).getSingleResult()) instanceof Number n
                && n.longValue() > 0) {
            return;
        }
        FakeCatalog.add("PUBLISHED", ENTRY, "部门代码大小写测试目录", PROVIDER_LOWER, "CONDITIONAL", "LEVEL_2", "GMSFHM",
                List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", true),
                        Map.of("code", "XM", "name", "姓名", "sensitive", true)));
        replica.pollOnce();
    }

    @Test
    void anEntryFedWithALowerCaseProviderCodeIsItsProvidersInListsRequestsAndFilters() {
        catalogued();
        // kept in upper case, as the provider's tokens carry the code
        assertEquals(PROVIDER, QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "SELECT provider_department_code FROM catalog_entry WHERE resource_code = ?1").setParameter(1, ENTRY)
                .getSingleResult()));
        // the provider's staff list their dataset, also naming themselves in lower case
        for (String provider : new String[] {null, PROVIDER, PROVIDER_LOWER}) {
            var spec = given().auth().oauth2(operator(PROVIDER)).queryParam("size", 200);
            if (provider != null) {
                spec = spec.queryParam("provider", provider);
            }
            spec.get(API + "/datasets").then().statusCode(200).body("resourceCode", hasItem(ENTRY))
                    .body("providerDepartmentCode", hasItem(PROVIDER));
        }
        // an admin's provider= in lower case finds the entries under the upper-case code
        given().auth().oauth2(admin()).queryParam("provider", PROVIDER_LOWER).queryParam("size", 200)
                .get(API + "/datasets").then().statusCode(200).body("resourceCode", equalTo(List.of(ENTRY)))
                .body("providerDepartmentCode", equalTo(List.of(PROVIDER)));
        // another department's staff naming the provider, in either case, are refused alike
        for (String provider : new String[] {PROVIDER, PROVIDER_LOWER}) {
            given().auth().oauth2(operator(CONSUMER)).queryParam("provider", provider).get(API + "/datasets").then()
                    .statusCode(403).contentType("application/problem+json");
        }

        // a request on it reaches the provider, which answers it
        long id = RequestWorkflowTest.file(operator(CONSUMER), RequestWorkflowTest.body(ENTRY, List.of("GMSFHM")))
                .then().statusCode(201).body("status", equalTo("PENDING"))
                .body("providerDepartmentCode", equalTo(PROVIDER)).extract().jsonPath().getLong("id");
        given().auth().oauth2(operator(PROVIDER)).queryParam("side", "provider").queryParam("size", 200)
                .get(API + "/requests").then().statusCode(200).body("id", hasItem((int) id));
        given().auth().oauth2(operator(PROVIDER)).contentType(ContentType.JSON)
                .body(Map.of("version", 0, "items", List.of("GMSFHM")))
                .post(API + "/requests/" + id + "/approve").then().statusCode(200).body("status", equalTo("APPROVED"));
    }

    @Test
    void aTokenWhoseDeptIsInLowerCaseActsForTheDepartment() {
        catalogued();
        String lower = operator(PROVIDER_LOWER);
        given().auth().oauth2(lower).queryParam("size", 200).get(API + "/datasets").then().statusCode(200)
                .body("resourceCode", hasItem(ENTRY));
        long id = RequestWorkflowTest.file(operator(CONSUMER), RequestWorkflowTest.body(ENTRY, List.of("XM")))
                .then().statusCode(201).extract().jsonPath().getLong("id");
        given().auth().oauth2(lower).get(API + "/requests/" + id).then().statusCode(200)
                .body("providerDepartmentCode", equalTo(PROVIDER));
        // what it files is recorded under the code in upper case
        given().auth().oauth2(operator("11330000mc00000693")).contentType(ContentType.JSON)
                .body(RequestWorkflowTest.body(ENTRY, List.of("XM"))).post(API + "/requests").then().statusCode(201)
                .body("consumerDepartmentCode", equalTo("11330000MC00000693"));
        // a dept that is no code in any case is still refused
        given().auth().oauth2(operator("11330000MC0000069")).get(API + "/datasets").then().statusCode(403)
                .contentType("application/problem+json");
    }

    @Test
    void theProviderReadsUsageLogEntriesRecordedWithItsCodeInLowerCase() {
        catalogued();
        // as the exchange recorded a lookup before V69, from an entry copy holding the code in lower case
        long seq = usageLog.append(new LogEntry.Draft(
                "case-" + System.nanoTime(), "dept-app", "op-" + CONSUMER, CONSUMER, null, "社会保障待遇资格认证",
                "《社会救助暂行办法》第十一条", ENTRY, PROVIDER_LOWER, List.of("XM"), List.of(), "LOOKUP", "DELIVERED",
                null, null)).seq();
        for (String token : new String[] {operator(PROVIDER), operator(PROVIDER_LOWER)}) {
            given().auth().oauth2(token).queryParam("after", seq - 1).queryParam("limit", 200).get(API + "/usage-log")
                    .then().statusCode(200).body("seq", hasItem((int) seq))
                    // shown as recorded: the entry is signed evidence
                    .body("find { it.seq == " + seq + " }.providerDepartmentCode", equalTo(PROVIDER_LOWER));
        }
        given().auth().oauth2(operator(CONSUMER)).queryParam("after", seq - 1).get(API + "/usage-log").then()
                .statusCode(200).body("seq", org.hamcrest.Matchers.not(hasItem((int) seq)));

        // covert hidings are listed for a department named in any case
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("INSERT INTO covert_hiding (log_seq, "
                + "hidden_until, legal_basis, requested_by, department) VALUES (?1, current_date + 30, "
                + "'《中华人民共和国刑事诉讼法》第一百五十条', 'op-case', ?2)").setParameter(1, seq)
                .setParameter(2, PROVIDER).executeUpdate());
        given().auth().oauth2(auditor()).queryParam("department", PROVIDER_LOWER)
                .get(API + "/usage-log/covert-hidings").then().statusCode(200).body("total", equalTo(1))
                .body("hidings.usageLogSeq", equalTo(List.of((int) seq)))
                .body("hidings.departmentCode", equalTo(List.of(PROVIDER)));
    }

    @Test
    void sealKeysAndWitnessesAreNamedInAnyCaseAndAnOldSealNamingTheCodeInLowerCaseStillVerifies() throws Exception {
        String dept = "11330000MC00000694";
        String kid = given().auth().oauth2(admin()).contentType(ContentType.JSON).body(Map.of("algorithm", "EdDSA"))
                .post(API + "/seals/departments/" + dept.toLowerCase() + "/keys").then().statusCode(200)
                .extract().jsonPath().getString("kid");
        assertEquals(dept, QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "SELECT department_code FROM seal_key WHERE kid = ?1").setParameter(1, kid).getSingleResult()));
        assertTrue(kid.startsWith(dept + "-"), kid);
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(Map.of())
                .post(API + "/seals/departments/11330000MC0000069/keys").then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("department"));

        // a seal made before V69 names the department as the entry copy had it, in lower case
        String jwk = QuarkusTransaction.requiringNew().call(() -> (String) em.createNativeQuery(
                "SELECT private_jwk FROM seal_key WHERE kid = ?1").setParameter(1, kid).getSingleResult());
        byte[] body = "{\"XM\":\"刘洋\"}".getBytes(StandardCharsets.UTF_8);
        JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.EdDSA).keyID(kid)
                .customParam("dept", dept.toLowerCase()).build(), new Payload(body));
        jws.sign(new Ed25519Signer(OctetKeyPair.parse(jwk)));
        String seal = jws.serialize(true);
        given().auth().oauth2(operator(CONSUMER)).contentType(ContentType.JSON)
                .body(Map.of("seal", seal, "payloadBase64", Base64.getEncoder().encodeToString(body)))
                .post(API + "/seals/verify").then().statusCode(200).body("valid", equalTo(true))
                .body("department", equalTo(dept));
        // another department's code in the header does not
        JWSObject other = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.EdDSA).keyID(kid)
                .customParam("dept", CONSUMER).build(), new Payload(body));
        other.sign(new Ed25519Signer(OctetKeyPair.parse(jwk)));
        given().auth().oauth2(operator(CONSUMER)).contentType(ContentType.JSON)
                .body(Map.of("seal", other.serialize(true), "payloadBase64", Base64.getEncoder().encodeToString(body)))
                .post(API + "/seals/verify").then().statusCode(200).body("valid", equalTo(false));

        // a witness's history under a code in lower case: the department's (never registered: 404, not 400)
        given().auth().oauth2(auditor()).get(API + "/usage-log/witnesses/" + dept.toLowerCase() + "/history").then()
                .statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(auditor()).get(API + "/usage-log/witnesses/" + dept.substring(1) + "/history").then()
                .statusCode(400).body("field", equalTo("departmentCode"));
    }

    @Test
    void theDepartmentToRectifyAnIncidentIsNamedInAnyCase() {
        catalogued();
        long id = IncidentTest.post(operator(PROVIDER), "", IncidentTest.with(IncidentTest.report("LEAK", List.of()),
                "resourceCode", ENTRY)).then().statusCode(201).body("partyDepartments", equalTo(List.of(PROVIDER)))
                .extract().jsonPath().getLong("id");
        IncidentTest.post(reviewer(), "/" + id + "/require-rectification", Map.of("version", 0, "requirement",
                "查明泄露范围并报送整改报告", "responsibleDepartmentCode", PROVIDER_LOWER)).then().statusCode(200)
                .body("responsibleDepartmentCode", equalTo(PROVIDER));
        // and the department reports under its own token
        IncidentTest.post(operator(PROVIDER), "/" + id + "/rectification-report", Map.of("version", 1, "report",
                "已删除网盘文件并完成排查")).then().statusCode(200).body("status", equalTo("RECTIFIED"));
    }
}
