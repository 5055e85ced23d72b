package cn.onenet.identity.departments;

import static cn.onenet.identity.departments.DepartmentRegistryTest.DEPARTMENTS;
import static cn.onenet.identity.departments.DepartmentRegistryTest.admin;
import static cn.onenet.identity.departments.DepartmentRegistryTest.create;
import static cn.onenet.identity.departments.DepartmentRegistryTest.department;
import static cn.onenet.identity.departments.DepartmentRegistryTest.newCode;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cn.onenet.identity.model.Account;
import cn.onenet.identity.oidc.OidcFlow;
import cn.onenet.identity.oidc.TestClients;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * A name or a reason made only of characters that show nothing (no-break space, zero-width space, byte order mark,
 * Hangul filler), as pasted from a word processor or a web page, is no name and no reason: 400 problem+json naming the
 * field, nothing stored or changed.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class InvisibleTextTest {

    private static final String INVISIBLE = "不能只含空白或不可见字符 / must contain visible text";

    @Inject
    TestClients clients;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    private static void refused(Response r, String field) {
        r.then().statusCode(400).contentType("application/problem+json").body("requestId", notNullValue())
                .body("errors.find { it.field == '" + field + "' }.message", equalTo(INVISIBLE));
    }

    @Test
    void departmentNamesAndReasonsMustShowText() {
        String code = newCode("330100");
        Map<String, Object> body = department(code, "330100", "CITY", null);
        body.put("name", "\u00a0\u200b");
        refused(admin().body(body).post(DEPARTMENTS), "name");
        body = department(code, "330100", "CITY", null);
        body.put("reason", "\u200b");
        refused(admin().body(body).post(DEPARTMENTS), "reason");
        given().get(DEPARTMENTS + "/" + code).then().statusCode(404);

        String registered = create("330100", "CITY", null);
        refused(admin().header("If-Match", "0").body(Map.of("reason", "\u3164\ufeff"))
                .post(DEPARTMENTS + "/" + registered + "/deactivate"), "reason");
        given().get(DEPARTMENTS + "/" + registered).then().statusCode(200).body("active", equalTo(true))
                .body("version", equalTo(0));
    }

    @Test
    void anAccountsDisplayNameMustShowText() {
        String username = "inv." + System.nanoTime() % 1_000_000;
        Map<String, Object> body = new HashMap<>(Map.of("type", "CIVIL_SERVANT", "username", username,
                "displayName", "\u200b\u00a0", "departmentCode", "11330000002481060E", "roles", List.of("operator"),
                "password", OidcFlow.PASSWORD));
        refused(given().auth().oauth2(OidcFlow.accessToken("test-web", "dsj.admin")).contentType("application/json")
                .body(body).post("/api/identity/v1/accounts"), "displayName");
        assertEquals(0L, (long) QuarkusTransaction.requiringNew().call(() -> Account.count("lower(username)",
                username)));
    }
}
