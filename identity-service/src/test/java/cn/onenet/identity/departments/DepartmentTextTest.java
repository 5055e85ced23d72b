package cn.onenet.identity.departments;

import static cn.onenet.identity.departments.DepartmentRegistryTest.DEPARTMENTS;
import static cn.onenet.identity.departments.DepartmentRegistryTest.PROVINCIAL;
import static cn.onenet.identity.departments.DepartmentRegistryTest.admin;
import static cn.onenet.identity.departments.DepartmentRegistryTest.department;
import static cn.onenet.identity.departments.DepartmentRegistryTest.newCode;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cn.onenet.identity.oidc.TestClients;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The registry is public and its names reach tokens, consoles and exports: a name, English name or reason holding a
 * control character or an unpaired surrogate is a 400 naming the field, and nothing is registered or changed. Each is
 * one line: the Unicode line and paragraph separators (U+2028, U+2029) break it as a line feed would.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class DepartmentTextTest {

    @Inject
    TestClients clients;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    @Test
    void controlCharactersAndBrokenUtf16AreRefusedNamingTheField() {
        for (Map.Entry<String, String> bad : Map.of("name", "测试\u0007部门", "nameEn", "Test\u0085dept", "reason",
                "机构\ud800设立").entrySet()) {
            String code = newCode("330000");
            Map<String, Object> body = department(code, "330000", "PROVINCE", PROVINCIAL);
            body.put(bad.getKey(), bad.getValue());
            admin().body(body).post(DEPARTMENTS).then().statusCode(400).body("errors[0].field",
                    equalTo(bad.getKey()));
            given().get(DEPARTMENTS + "/" + code).then().statusCode(404);
        }
        String code = DepartmentRegistryTest.create("330000", "PROVINCE", PROVINCIAL);
        admin().header("If-Match", "\"0\"").body(Map.of("name", "改名\u001b[31m部门", "reason", "更名"))
                .put(DEPARTMENTS + "/" + code).then().statusCode(400).body("errors[0].field", equalTo("name"));
        admin().header("If-Match", "\"0\"").body(Map.of("reason", "撤销\u0008"))
                .post(DEPARTMENTS + "/" + code + "/deactivate").then().statusCode(400)
                .body("errors[0].field", equalTo("reason"));
        given().get(DEPARTMENTS + "/" + code).then().statusCode(200).body("version", equalTo(0))
                .body("active", equalTo(true));
    }

    @Test
    void aLineOrParagraphSeparatorInANameOrReasonIsRefusedNamingTheField() {
        for (Map.Entry<String, String> bad : Map.of("name", "测试\u2028部门", "nameEn", "Test\u2029dept", "reason",
                "机构\u2028设立").entrySet()) {
            String code = newCode("330000");
            Map<String, Object> body = department(code, "330000", "PROVINCE", PROVINCIAL);
            body.put(bad.getKey(), bad.getValue());
            admin().body(body).post(DEPARTMENTS).then().statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", equalTo(bad.getKey())).body("requestId", notNullValue());
            given().get(DEPARTMENTS + "/" + code).then().statusCode(404);
        }
        String code = DepartmentRegistryTest.create("330000", "PROVINCE", PROVINCIAL);
        admin().header("If-Match", "\"0\"").body(Map.of("name", "改名\u2029部门", "reason", "更名"))
                .put(DEPARTMENTS + "/" + code).then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("name"));
        given().get(DEPARTMENTS + "/" + code).then().statusCode(200).body("version", equalTo(0));
    }
}
