package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The answers and parameters declared once ({@link SharedAnswers}, {@link PageQuery}, {@code DatasetResource.Stored})
 * appear in /q/openapi on every operation that uses them, as they did when each operation spelt them out: the
 * document depends on SmallRye OpenAPI reading composed annotations and bean parameters.
 */
@QuarkusTest
class SharedAnswersDocumentTest extends ExchangeTestBase {

    private static final String V1 = "/api/exchange/v1";

    private static JsonPath document() {
        return given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
    }

    private static String operation(String path, String method) {
        return "paths.'" + V1 + path + "'." + method;
    }

    @Test
    void pagedListsDocumentTheBadPageAnswerAndThePageParameters() {
        JsonPath doc = document();
        for (String path : List.of("/complaints", "/me/complaints", "/incidents", "/disputes", "/objections")) {
            String bad = operation(path, "get") + ".responses.'400'";
            assertEquals(ListPaging.BAD_INPUT, doc.getString(bad + ".description"), path);
            assertEquals("size", doc.getString(bad + ".content.'application/problem+json'.examples.'bad size'.value"
                    + ".field"), path);
        }
        for (String path : List.of("/complaints", "/me/complaints", "/incidents", "/disputes", "/objections",
                "/grants", "/requests", "/datasets")) {
            List<Map<String, Object>> params = doc.getList(operation(path, "get") + ".parameters");
            Map<String, Object> page = named(params, "page");
            Map<String, Object> size = named(params, "size");
            assertEquals(ListPaging.PAGE_DOC, page.get("description"), path);
            assertEquals("query", page.get("in"), path);
            assertEquals("0", page.get("example"), path);
            assertEquals(ListPaging.SIZE_DOC, size.get("description"), path);
            assertEquals("query", size.get("in"), path);
            assertEquals("50", size.get("example"), path);
        }
    }

    @Test
    void aCitizensComplaintsDocumentTheLevelNeededAnswer() {
        JsonPath doc = document();
        for (String method : List.of("get", "post")) {
            String forbidden = operation("/me/complaints", method) + ".responses.'403'";
            assertEquals(CitizenResource.LEVEL_NEEDED, doc.getString(forbidden + ".description"), method);
            assertEquals(403, doc.getInt(forbidden + ".content.'application/problem+json'.examples.'level needed'"
                    + ".value.status"), method);
        }
    }

    @Test
    void bothWaysOfStoringRecordsDocumentTheStoredAnswer() {
        JsonPath doc = document();
        for (String path : List.of("/datasets/{resourceCode}/records", "/datasets/{resourceCode}/uploads")) {
            String created = operation(path, "post") + ".responses.'201'";
            assertEquals("records stored", doc.getString(created + ".description"), path);
            assertEquals(2, doc.getInt(created + ".content.'application/json'.examples.stored.value.records"), path);
        }
    }

    private static Map<String, Object> named(List<Map<String, Object>> params, String name) {
        assertNotNull(params);
        return params.stream().filter(p -> name.equals(p.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no parameter " + name + " in " + params));
    }
}
