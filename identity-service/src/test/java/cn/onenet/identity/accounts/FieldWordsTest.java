package cn.onenet.identity.accounts;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * A refusal names the field in words, in Chinese and in English ("应用标识 / the client id"); the API name stays in
 * {@code field} and {@code errors[].field}, where programs and the console read it. A code the API accepts may follow
 * its words in brackets (私钥签名（private_key_jwt）), as the exchange's messages do.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class FieldWordsTest extends AdminApiTest {

    /** An API name: camelCase or snake_case. */
    private static final Pattern API_NAME = Pattern.compile("\\b[a-z]+(?:[A-Z][A-Za-z]*|_[a-z_]+)\\b");
    private static final Pattern BRACKETS = Pattern.compile("（[^）]*）|\\([^)]*\\)");

    /**
     * Checks the refusal names {@code field} and says it in words in both halves of each message: outside brackets,
     * no API name and not the field's own name.
     */
    private static void inWords(Response response, int status, String field) {
        response.then().statusCode(status).contentType("application/problem+json")
                .body("errors.field", hasItem(field));
        List<String> messages = new ArrayList<>(response.jsonPath().getList("errors.findAll { it.field == '"
                + field + "' }.message", String.class));
        assertFalse(messages.isEmpty(), response.asString());
        for (String message : messages) {
            assertTrue(message.contains(" / "), "both languages: " + message);
            String chinese = message.substring(0, message.indexOf(" / "));
            String english = message.substring(message.indexOf(" / ") + 3);
            for (String half : List.of(chinese, english)) {
                String words = BRACKETS.matcher(half).replaceAll("");
                assertFalse(API_NAME.matcher(words).find(), "an API name in \"" + half + "\" of " + message);
            }
            assertFalse(Pattern.compile("\\b" + field + "\\b").matcher(BRACKETS.matcher(chinese).replaceAll(""))
                    .find(), "the field's API name in the Chinese half: " + message);
        }
    }

    private static Map<String, Object> client(String clientId) {
        Map<String, Object> body = new HashMap<>();
        body.put("clientId", clientId);
        body.put("name", "字段措辞测试");
        body.put("grantTypes", List.of("client_credentials"));
        body.put("scopes", List.of("catalog"));
        return body;
    }

    private static Response register(Map<String, Object> body) {
        return admin().body(body).post(CLIENTS);
    }

    @Test
    void clientRegistrationRefusalsSayTheFieldInWords() {
        inWords(register(client("AB")), 400, "clientId");
        inWords(register(client("0b6f3c52-5d0e-4b8a-9a51-6f1c2d7e9a10")), 400, "clientId");
        inWords(register(client("onenet-exchange")), 400, "clientId");
        String taken = "words-" + System.nanoTime() % 1_000_000;
        register(client(taken)).then().statusCode(201);
        inWords(register(client(taken)), 409, "clientId");

        Map<String, Object> refreshOnly = client(taken + "r");
        refreshOnly.put("grantTypes", List.of("refresh_token"));
        inWords(register(refreshOnly), 400, "grantTypes");
        Map<String, Object> noRedirect = client(taken + "c");
        noRedirect.put("grantTypes", List.of("authorization_code"));
        inWords(register(noRedirect), 400, "redirectUris");
        Map<String, Object> noKeys = client(taken + "k");
        noKeys.put("authMethod", "private_key_jwt");
        inWords(register(noKeys), 400, "jwks");
        Map<String, Object> level = client(taken + "l");
        level.put("minLevel", 9);
        inWords(register(level), 400, "minLevel");

        // a client authenticating with a key has no secret to renew
        Map<String, Object> keyed = client(taken + "j");
        keyed.put("authMethod", "private_key_jwt");
        keyed.put("jwksUri", "https://keys.example.cn/jwks.json");
        register(keyed).then().statusCode(201);
        inWords(admin().post(CLIENTS + "/" + taken + "j/secret"), 400, "authMethod");
    }

    @Test
    void accountDepartmentAndIdentifierRefusalsSayTheFieldInWords() {
        inWords(admin().body(Map.of("type", "CIVIL_SERVANT", "username", "words.staff", "displayName", "措辞测试",
                "roles", List.of("operator"), "password", "Zhejiang-2026-pass")).post(ACCOUNTS), 400, "departmentCode");
        inWords(admin().body(Map.of("type", "CIVIL_SERVANT", "username", "words.staff", "departmentCode",
                AccountListTest.GAT, "roles", List.of("operator"), "password", "Zhejiang-2026-pass")).post(ACCOUNTS),
                400, "displayName");
        Response check = io.restassured.RestAssured.given().contentType("application/json").body("{}")
                .post("/api/identity/v1/identifiers/check");
        inWords(check, 400, "type");
        inWords(check, 400, "value");
        Map<String, Object> department = new HashMap<>();
        department.put("code", "11330000002481099X");
        department.put("name", "措辞测试部门");
        department.put("nameEn", "x".repeat(201));
        department.put("regionCode", "330100");
        department.put("level", "PROVINCE");
        department.put("kind", "GOVERNMENT_DEPARTMENT");
        department.put("reason", "测试");
        Response refused = admin().body(department).post("/api/identity/v1/departments");
        inWords(refused, 400, "nameEn");
        inWords(refused, 400, "level");
        refused.then().body("requestId", org.hamcrest.Matchers.notNullValue()).body("status", equalTo(400));
    }
}
