package cn.onenet.identity.accounts;

import static cn.onenet.identity.accounts.AccountListTest.RST;
import static cn.onenet.identity.accounts.AccountListTest.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cn.onenet.common.identifiers.CreditCode;
import cn.onenet.common.identifiers.ResidentIdNumber;
import cn.onenet.identity.model.Account;
import cn.onenet.identity.oidc.OidcFlow;
import cn.onenet.identity.oidc.TestClients;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * What an administrator types when creating an account or setting its level: contacts that recovery could not reach,
 * values wider than their columns, names with control characters or broken UTF-16, a staff ID number already on file,
 * a representative whose account is disabled, and the same login name twice at once. Each is a 400 or 409 naming the
 * field, never a 500 and never a stored account.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class AccountInputTest {

    private static final String ACCOUNTS = "/api/identity/v1/accounts";

    @Inject
    TestClients clients;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    private static Map<String, Object> staff() {
        return new HashMap<>(Map.of("type", "CIVIL_SERVANT", "username", "inp." + System.nanoTime() % 1_000_000,
                "displayName", "输入测试员", "departmentCode", RST, "roles", List.of("operator"), "password",
                OidcFlow.PASSWORD));
    }

    private static String newIdNumber() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String first17 = String.format("3301061991%02d%02d%03d", 1 + r.nextInt(12), 1 + r.nextInt(28), r.nextInt(1000));
        return first17 + ResidentIdNumber.checkCharacter(first17);
    }

    private static void refused(Map<String, Object> body, int status, String field) {
        as("dsj.admin").contentType("application/json").body(body).post(ACCOUNTS).then().statusCode(status)
                .contentType("application/problem+json").body("errors[0].field", equalTo(field));
        Object username = body.get("username");
        if (username != null) {
            assertEquals(0L, (long) QuarkusTransaction.requiringNew().call(() -> Account.count("lower(username)",
                    username.toString().toLowerCase())), "nothing stored");
        }
    }

    @Test
    void contactsRecoveryCouldNotReachAreRefusedNamingTheField() {
        Map<String, Object> body = staff();
        body.put("email", "x".repeat(300) + "@example.cn");
        refused(body, 400, "email");
        body = staff();
        body.put("email", "li\u0007@example.cn");
        refused(body, 400, "email");
        body = staff();
        body.put("phone", "1".repeat(40));
        refused(body, 400, "phone");
        body = staff();
        body.put("phone", "not a phone");
        refused(body, 400, "phone");
        // full-width digits, as an input method gives them
        body = staff();
        body.put("phone", "１３８００００００００");
        refused(body, 400, "phone");
        // well formed: stored trimmed, shown masked
        body = staff();
        body.put("phone", " 13800000017 ");
        as("dsj.admin").contentType("application/json").body(body).post(ACCOUNTS).then().statusCode(201)
                .body("phoneMasked", equalTo("138****0017"));
        String username = body.get("username").toString();
        assertEquals("13800000017", QuarkusTransaction.requiringNew().call(() -> Account.byUsername(username).phone));
    }

    @Test
    void namesWithControlCharactersOrBrokenUtf16AreRefused() {
        for (String name : List.of("张\u0007三", "张三\n", "\ud800x", "x\udc00")) {
            Map<String, Object> body = staff();
            body.put("displayName", name);
            refused(body, 400, "displayName");
        }
        // a password with one is not the password typed: it would be hashed with "?" in its place
        Map<String, Object> body = staff();
        body.put("password", OidcFlow.PASSWORD + "\ud800");
        refused(body, 400, "password");
        // self-registration the same way
        given().contentType("application/json").header("X-Forwarded-For", "10.91.0.7").body(Map.of("idNumber",
                newIdNumber(), "name", "李\u001b四", "password", "Good-pass-2026", "phone",
                "13800000018")).post("/api/identity/v1/registrations").then().statusCode(400)
                .body("errors[0].field", equalTo("name"));
    }

    @Test
    void aStaffIdNumberOnFileIsAConflictNotA500() {
        String idNumber = newIdNumber();
        Map<String, Object> first = staff();
        first.put("idNumber", idNumber);
        as("dsj.admin").contentType("application/json").body(first).post(ACCOUNTS).then().statusCode(201);
        Map<String, Object> second = staff();
        second.put("idNumber", idNumber.toLowerCase());
        refused(second, 409, "idNumber");
        // the problem does not repeat the number
        as("dsj.admin").contentType("application/json").body(second).post(ACCOUNTS).then().statusCode(409)
                .body(not(containsString(idNumber.substring(6, 14))));
    }

    @Test
    void aLevelAtOrBelowL2RecordsTheFormatCheckWhateverMethodIsTyped() {
        Map<String, Object> citizen = new HashMap<>(Map.of("type", "NATURAL_PERSON", "displayName", "级别测试",
                "idNumber", newIdNumber(), "password", OidcFlow.PASSWORD, "phone", "13800000019"));
        String id = as("dsj.admin").contentType("application/json").body(citizen).post(ACCOUNTS).then()
                .statusCode(201).extract().path("id");
        as("dsj.admin").contentType("application/json").body(Map.of("level", 2, "method", "m".repeat(60)))
                .post(ACCOUNTS + "/" + id + "/level").then().statusCode(200).body("levelMethod",
                        equalTo("format-check"));
        as("dsj.admin").contentType("application/json").body(Map.of("level", 1, "method", "population-register"))
                .post(ACCOUNTS + "/" + id + "/level").then().statusCode(200).body("level", equalTo(1))
                .body("levelMethod", equalTo("format-check"));
    }

    @Test
    void aDisabledPersonIsNotRecordedAsAnEnterprisesRepresentative() {
        String rep = as("dsj.admin").contentType("application/json").body(Map.of("type", "NATURAL_PERSON",
                "displayName", "停用代表", "idNumber", newIdNumber(), "password", OidcFlow.PASSWORD, "phone",
                "13800000020")).post(ACCOUNTS).then().statusCode(201).extract().path("id");
        as("dsj.admin").post(ACCOUNTS + "/" + rep + "/disable").then().statusCode(200);
        String first17 = String.format("91330106MA2K%05d", ThreadLocalRandom.current().nextInt(100_000));
        String uscc = first17 + CreditCode.checkCharacter(first17);
        Map<String, Object> enterprise = new HashMap<>(Map.of("type", "LEGAL_PERSON", "displayName", "停用代表公司",
                "uscc", uscc, "legalRepresentativeId", rep, "password", OidcFlow.PASSWORD));
        refused(enterprise, 400, "legalRepresentativeId");
        assertEquals(0L, (long) QuarkusTransaction.requiringNew().call(() -> Account.count("uscc", uscc)));
    }

    @Test
    void theSameLoginNameCreatedAtOnceGivesOneAccountAndConflictsNever500() throws Exception {
        String username = "inp.race" + System.nanoTime() % 1_000_000;
        String token = OidcFlow.accessToken("test-web", "dsj.admin");
        List<Callable<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            // the same name in other cases, too: login names compare without case
            String name = i % 2 == 0 ? username : username.toUpperCase();
            Map<String, Object> body = new HashMap<>(staff());
            body.put("username", name);
            calls.add(() -> given().auth().oauth2(token).contentType("application/json").body(body).post(ACCOUNTS)
                    .statusCode());
        }
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Integer> statuses = new ArrayList<>();
        try {
            for (Future<Integer> f : pool.invokeAll(calls)) {
                statuses.add(f.get());
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(1, statuses.stream().filter(s -> s == 201).count(), "one created: " + statuses);
        assertEquals(5, statuses.stream().filter(s -> s == 409).count(), "the others conflict: " + statuses);
        assertEquals(1L, (long) QuarkusTransaction.requiringNew().call(() -> Account.count("lower(username)",
                username.toLowerCase())));
    }
}
