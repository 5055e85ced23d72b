package cn.onenet.identity.departments;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cn.onenet.identity.oidc.TestClients;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.ValidatableResponse;

/**
 * A JSON body naming a field its type does not have is refused with 400 naming that field, not read as if the field
 * were absent: a misspelt {@code resaon} would otherwise leave the audited reason empty, and an {@code active} or
 * {@code regionCode} the API does not let the caller set would be silently dropped. Nothing changes.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class UnknownBodyFieldTest {

    static final String DEPARTMENTS = "/api/identity/v1/departments";
    static final String PROVINCIAL = "11330000002481020A";

    @Inject
    TestClients clients;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    private static ValidatableResponse refusedNaming(ValidatableResponse r, String field, String requestId) {
        return r.statusCode(400).contentType(startsWith("application/problem+json"))
                .body("type", equalTo("urn:onenet:problem:validation")).body("field", equalTo(field))
                .body("errors[0].field", equalTo(field)).body("detail", containsString(field))
                .body("requestId", equalTo(requestId));
    }

    @Test
    void aNewDepartmentWithAnUnknownFieldIsRefusedAndNotRegistered() {
        for (String unknown : new String[] { "resaon", "active", "version" }) {
            String code = DepartmentRegistryTest.newCode("330100");
            Map<String, Object> body = new HashMap<>(DepartmentRegistryTest.department(code, "330100", "CITY",
                    PROVINCIAL));
            body.put(unknown, "resaon".equals(unknown) ? "测试：机构设立" : 7);
            String requestId = UUID.randomUUID().toString();
            refusedNaming(DepartmentRegistryTest.admin().header("X-Request-Id", requestId).body(body)
                    .post(DEPARTMENTS).then(), unknown, requestId);
            RestAssured.given().get(DEPARTMENTS + "/" + code).then().statusCode(404);

            // the same body without it is registered
            body.remove(unknown);
            DepartmentRegistryTest.admin().body(body).post(DEPARTMENTS).then().statusCode(201)
                    .body("code", equalTo(code)).body("active", equalTo(true));
        }
    }

    @Test
    void aChangeWithAFieldItCannotChangeIsRefusedAndChangesNothing() {
        String code = DepartmentRegistryTest.newCode("330100");
        DepartmentRegistryTest.admin()
                .body(DepartmentRegistryTest.department(code, "330100", "CITY", PROVINCIAL)).post(DEPARTMENTS)
                .then().statusCode(201);
        Map<String, Object> change = new HashMap<>(Map.of("name", "改名后的部门", "kind", "GOVERNMENT_DEPARTMENT",
                "reason", "更名", "regionCode", "330200"));
        String requestId = UUID.randomUUID().toString();
        refusedNaming(DepartmentRegistryTest.admin().header("If-Match", "0").header("X-Request-Id", requestId)
                .body(change).put(DEPARTMENTS + "/" + code).then(), "regionCode", requestId);
        RestAssured.given().get(DEPARTMENTS + "/" + code).then().statusCode(200).body("version", equalTo(0))
                .body("regionCode", equalTo("330100")).body("name", equalTo("测试部门" + code.substring(10)));

        change.remove("regionCode");
        DepartmentRegistryTest.admin().header("If-Match", "0").body(change).put(DEPARTMENTS + "/" + code).then()
                .statusCode(200).body("name", equalTo("改名后的部门")).body("version", equalTo(1));
    }
}
