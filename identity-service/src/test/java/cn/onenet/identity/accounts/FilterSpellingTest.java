package cn.onenet.identity.accounts;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * A filter takes the values the API itself writes, and a refusal lists the allowed values in both languages; a
 * missing field of the identifier check is named in both languages as everywhere else.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class FilterSpellingTest {

    private static final String ACCOUNTS = "/api/identity/v1/accounts";

    @Test
    void theTypeFilterTakesTheTypeAsTheRowsSpellItInAnyCase() {
        Response constant = AccountListTest.as("dsj.auditor").queryParam("type", "CIVIL_SERVANT")
                .queryParam("size", 200).get(ACCOUNTS);
        constant.then().statusCode(200).body("type", everyItem(equalTo("civil_servant")));
        String total = constant.header("X-Total-Count");
        assertTrue(Integer.parseInt(total) > 0);
        for (String spelling : List.of("civil_servant", "Civil_Servant", "civil_SERVANT")) {
            AccountListTest.as("dsj.auditor").queryParam("type", spelling).queryParam("size", 200).get(ACCOUNTS)
                    .then().statusCode(200).header("X-Total-Count", total)
                    .body("type", everyItem(equalTo("civil_servant")));
        }
        AccountListTest.as("dsj.auditor").queryParam("type", "natural_person").get(ACCOUNTS).then().statusCode(200)
                .body("type", everyItem(equalTo("natural_person")));
    }

    @Test
    void aWrongTypeListsTheAllowedValuesInBothLanguages() {
        String detail = AccountListTest.as("dsj.auditor").queryParam("type", "citizen").get(ACCOUNTS).then()
                .statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("type"))
                .body("requestId", not(equalTo(null))).extract().path("detail");
        String chinese = detail.substring(0, detail.indexOf(" / "));
        assertTrue(chinese.contains("允许的值") && chinese.contains("natural_person")
                && chinese.contains("legal_person") && chinese.contains("civil_servant"), detail);
        assertTrue(!detail.contains("可选"), detail);
        String role = AccountListTest.as("dsj.auditor").queryParam("role", "emperor").get(ACCOUNTS).then()
                .statusCode(400).body("errors.field", hasItem("role")).extract().path("detail");
        assertTrue(role.startsWith("允许的值：") && role.substring(0, role.indexOf(" / ")).contains("reviewer"), role);
    }

    @Test
    void theIdentifierCheckNamesMissingFieldsInBothLanguages() {
        Response answer = given().contentType(ContentType.JSON).header("X-Request-Id", "req-empty-check").body("{}")
                .post("/api/identity/v1/identifiers/check");
        answer.then().statusCode(400).contentType("application/problem+json")
                .body("requestId", equalTo("req-empty-check")).body("errors.field", hasItem("type"))
                .body("errors.field", hasItem("value")).body(not(containsString("must not")));
        List<String> messages = answer.jsonPath().getList("errors.message");
        assertEquals(2, messages.size());
        for (String message : messages) {
            assertTrue(message.contains("必填") && message.contains(" / ") && message.contains("required"), message);
        }
        String detail = answer.jsonPath().getString("detail");
        assertTrue(detail.contains("必填") && detail.contains("required"), detail);
    }
}
