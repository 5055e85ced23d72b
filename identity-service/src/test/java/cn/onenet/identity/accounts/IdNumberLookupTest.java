package cn.onenet.identity.accounts;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cn.onenet.common.identifiers.ResidentIdNumber;
import cn.onenet.identity.oidc.OidcFlow;
import cn.onenet.identity.oidc.TestClients;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * The exact lookup of an account by its 公民身份号码 ({@code GET accounts?idNumber=}): a complete, valid number only,
 * the answer masked, every lookup audited without the number in clear, limited per caller, admins and auditors only.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class IdNumberLookupTest {

    private static final String ACCOUNTS = "/api/identity/v1/accounts";
    private static final String AUDIT = "/api/identity/v1/audit";
    private static final String LOOKUP = "ACCOUNT_ID_NUMBER_LOOKUP";

    @Inject
    TestClients clients;

    @ConfigProperty(name = "identity.id-number-lookup.max-per-hour", defaultValue = "60")
    int maxPerHour;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    private static RequestSpecification as(String user) {
        return AccountListTest.as(user);
    }

    /** A valid number no account has yet, ending in {@code X} when {@code endsInX}. */
    static String newIdNumber(boolean endsInX) {
        while (true) {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            String first17 = String.format("3301061988%02d%02d%03d", 1 + r.nextInt(12), 1 + r.nextInt(28),
                    r.nextInt(1000));
            char check = ResidentIdNumber.checkCharacter(first17);
            if ((check == 'X') == endsInX) {
                return first17 + check;
            }
        }
    }

    private static String masked(String idNumber) {
        return idNumber.substring(0, 6) + "********" + idNumber.substring(14);
    }

    private static String citizen(String name, String idNumber) {
        return as("dsj.admin").contentType("application/json").body(Map.of("type", "NATURAL_PERSON", "displayName",
                name, "idNumber", idNumber, "password", OidcFlow.PASSWORD)).post(ACCOUNTS).then().statusCode(201)
                .extract().path("id");
    }

    /** The lookup rows about {@code subject}, as an auditor reads them. */
    private static Response lookups(String subject) {
        return as("dsj.auditor").queryParam("type", LOOKUP).queryParam("subject", subject).queryParam("size", 200)
                .get(AUDIT).then().statusCode(200).extract().response();
    }

    private static long allLookups() {
        return Long.parseLong(as("dsj.auditor").queryParam("type", LOOKUP).queryParam("size", 1).get(AUDIT).then()
                .statusCode(200).extract().header("X-Total-Count"));
    }

    @Test
    void anAdministratorFindsThePersonByTheExactNumberShownMaskedAndAudited() {
        String idNumber = newIdNumber(true);
        String tag = "Ix" + (System.nanoTime() % 1_000_000);
        String id = citizen("张伟" + tag, idNumber);

        Response found = as("dsj.admin").queryParam("idNumber", idNumber).get(ACCOUNTS);
        found.then().statusCode(200).contentType("application/json").body("$", hasSize(1)).body("[0].id", equalTo(id))
                .body("[0].idNumberMasked", equalTo(masked(idNumber))).body("[0].username", equalTo(masked(idNumber)))
                .header("X-Total-Count", "1");
        assertFalse(found.asString().contains(idNumber), found.asString());

        // a lower-case x, full-width digits (as a Chinese input method types them) and spaces around read the same
        String lower = idNumber.substring(0, 17) + "x";
        StringBuilder fullWidth = new StringBuilder();
        for (char c : idNumber.toCharArray()) {
            fullWidth.append(c == 'X' ? 'Ｘ' : (char) (c - '0' + '０'));
        }
        for (String typed : List.of(lower, fullWidth.toString(), " " + idNumber + " ")) {
            as("dsj.admin").queryParam("idNumber", typed).get(ACCOUNTS).then().statusCode(200)
                    .body("id", equalTo(List.of(id)));
        }

        // each lookup is audited: who, which account, the number masked, never in clear
        Response rows = lookups(id);
        rows.then().body("$", hasSize(4)).body("outcome", hasItem("SUCCESS"))
                .body("[0].detail", org.hamcrest.Matchers.containsString(masked(idNumber)))
                .body("[0].actor", notNullValue()).body("[0].requestId", notNullValue());
        assertFalse(rows.asString().contains(idNumber), rows.asString());
        assertFalse(rows.asString().contains(lower), rows.asString());
    }

    @Test
    void theLookupCombinesWithTheOtherFiltersAndAnUnknownNumberFindsNothing() {
        String idNumber = newIdNumber(false);
        String tag = "Iy" + (System.nanoTime() % 1_000_000);
        String person = citizen("王芳" + tag, idNumber);
        // the same person also works at a department: a civil servant's account with the same number
        String staff = as("dsj.admin").contentType("application/json").body(Map.of("type", "CIVIL_SERVANT",
                "username", "lk." + tag.toLowerCase(), "displayName", "王芳" + tag, "idNumber", idNumber,
                "departmentCode", AccountListTest.RST, "roles", List.of("operator"), "password", OidcFlow.PASSWORD))
                .post(ACCOUNTS).then().statusCode(201).extract().path("id");

        as("dsj.admin").queryParam("idNumber", idNumber).get(ACCOUNTS).then().statusCode(200)
                .body("id", hasSize(2)).body("id", hasItem(person)).body("id", hasItem(staff))
                .header("X-Total-Count", "2");
        as("dsj.admin").queryParam("idNumber", idNumber).queryParam("type", "NATURAL_PERSON").get(ACCOUNTS).then()
                .body("id", equalTo(List.of(person)));
        as("dsj.admin").queryParam("idNumber", idNumber).queryParam("role", "operator")
                .queryParam("department", AccountListTest.RST).get(ACCOUNTS).then().body("id", equalTo(List.of(staff)));
        as("dsj.admin").queryParam("idNumber", idNumber).queryParam("q", "no such name").get(ACCOUNTS).then()
                .statusCode(200).body("$", hasSize(0)).header("X-Total-Count", "0");
        as("dsj.admin").queryParam("idNumber", idNumber).queryParam("status", "disabled").get(ACCOUNTS).then()
                .body("$", hasSize(0));
        // a row for each account in an answer: the first two lookups showed the person, the others did not
        lookups(person).then().body("$", hasSize(2));

        // a valid number nobody has: an empty page, the lookup still audited (without an account)
        long before = allLookups();
        String unknown = newIdNumber(false);
        as("dsj.admin").queryParam("idNumber", unknown).get(ACCOUNTS).then().statusCode(200).body("$", hasSize(0))
                .header("X-Total-Count", "0");
        assertEquals(before + 1, allLookups());
        Response last = as("dsj.auditor").queryParam("type", LOOKUP).queryParam("size", 1).get(AUDIT);
        last.then().body("[0].subject", equalTo(null)).body("[0].detail",
                org.hamcrest.Matchers.containsString(masked(unknown)));
        assertFalse(last.asString().contains(unknown));
    }

    @Test
    void onlyACompleteValidNumberIsLookedUpNeverAPartOfOne() {
        String idNumber = newIdNumber(false);
        citizen("李娜" + (System.nanoTime() % 1_000_000), idNumber);
        String wrongCheck = idNumber.substring(0, 17) + (idNumber.charAt(17) == '0' ? '1' : '0');
        long before = allLookups();
        for (String bad : List.of(idNumber.substring(0, 17), idNumber.substring(0, 6), idNumber.substring(6),
                idNumber + "0", wrongCheck, idNumber.substring(0, 16) + "%", idNumber.substring(0, 16) + "_" + "1",
                "33010619881399001X", "", " ")) {
            Response r = as("dsj.admin").queryParam("idNumber", bad).get(ACCOUNTS);
            assertEquals(400, r.statusCode(), "idNumber=[" + bad + "]: " + r.asString());
            r.then().contentType("application/problem+json")
                    .body("errors.field", equalTo(List.of("idNumber"))).body("requestId", notNullValue());
            assertFalse(r.asString().contains(idNumber), r.asString());
        }
        // a refused lookup is not a lookup: nothing audited
        assertEquals(before, allLookups());
    }

    @Test
    void adminsAndAuditorsLookUpOthersAreRefusedAndNotAudited() {
        String idNumber = newIdNumber(false);
        String id = citizen("刘洋" + (System.nanoTime() % 1_000_000), idNumber);
        for (String user : List.of("gat.operator", "dsj.reviewer", "33010619850312001X")) {
            as(user).queryParam("idNumber", idNumber).get(ACCOUNTS).then().statusCode(403)
                    .contentType("application/problem+json");
        }
        given().queryParam("idNumber", idNumber).get(ACCOUNTS).then().statusCode(401)
                .contentType("application/problem+json");
        lookups(id).then().body("$", hasSize(0));

        as("dsj.auditor").queryParam("idNumber", idNumber).get(ACCOUNTS).then().statusCode(200)
                .body("id", equalTo(List.of(id)));
        as("dsj.admin").queryParam("idNumber", idNumber).get(ACCOUNTS).then().statusCode(200)
                .body("id", equalTo(List.of(id)));
        Response rows = lookups(id);
        rows.then().body("$", hasSize(2));
        assertEquals(2, rows.jsonPath().getList("actor").stream().distinct().count(), rows.asString());
    }

    @Test
    void lookupsAreLimitedPerCallerWithRetryAfter() {
        // a caller of its own: an auditor account made for this test
        String username = "lk.limit" + (System.nanoTime() % 1_000_000);
        as("dsj.admin").contentType("application/json").body(Map.of("type", "CIVIL_SERVANT", "username", username,
                "displayName", "限额测试审计员", "departmentCode", "113300000024810109", "roles", List.of("auditor"),
                "password", OidcFlow.PASSWORD)).post(ACCOUNTS).then().statusCode(201);
        String idNumber = newIdNumber(false);
        String id = citizen("赵磊" + (System.nanoTime() % 1_000_000), idNumber);
        String token = OidcFlow.accessToken("test-web", username);
        for (int i = 0; i < maxPerHour; i++) {
            given().auth().oauth2(token).queryParam("idNumber", idNumber).get(ACCOUNTS).then().statusCode(200);
        }
        Response refused = given().auth().oauth2(token).queryParam("idNumber", idNumber).get(ACCOUNTS);
        refused.then().statusCode(429).contentType("application/problem+json").header("Retry-After", notNullValue());
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertTrue(retryAfter > 0 && retryAfter <= 3600, "Retry-After " + retryAfter);
        assertFalse(refused.asString().contains(idNumber));
        // the refused one found nothing and is not counted as a lookup; the list without idNumber still works
        assertEquals(maxPerHour, lookups(id).jsonPath().getList("findAll { it.outcome == 'SUCCESS' }").size());
        given().auth().oauth2(token).queryParam("q", "限额").get(ACCOUNTS).then().statusCode(200);
        // another caller is not limited by it
        as("dsj.admin").queryParam("idNumber", idNumber).get(ACCOUNTS).then().statusCode(200)
                .body("id", equalTo(List.of(id)));
    }
}
