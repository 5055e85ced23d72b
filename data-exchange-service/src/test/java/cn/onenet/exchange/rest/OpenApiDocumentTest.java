package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.testsupport.OpenApiDocumentCheck;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The OpenAPI document at /q/openapi is complete for its readers: every operation has a summary and a documented
 * success answer, every JSON request body and named success body shows an example. The fixture under /test-provider/
 * (a provider that answers too late) belongs to these tests, not to the service, and is left out.
 */
@QuarkusTest
class OpenApiDocumentTest extends ExchangeTestBase {

    /** R24: 类(1) 项(2) 目(3) 细目(optional) "/" 顺序码, as catalog-service assigns and checks them. */
    private static final Pattern R24 = Pattern.compile("\\d{6,}/\\d+");
    /** Anything an example gives as a resource code: digits (with dashes) "/" digits. */
    private static final Pattern CODE_LIKE = Pattern.compile("(?<![\\w/%-])\\d[\\d-]*/\\d+(?![\\w/])");

    @Test
    void everyOperationIsDocumentedWithSummaryAndExamples() {
        List<String> gaps = OpenApiDocumentCheck.ofTestApplication().problems().stream()
                .filter(problem -> !problem.contains(" /test-provider/"))
                .toList();
        assertTrue(gaps.isEmpty(), gaps.size() + " gaps in the OpenAPI document:\n" + String.join("\n", gaps));
    }

    /**
     * A reader copies an example's resource code into a request: it is one the catalogue could have assigned (R24),
     * the demo catalogue's 居民户籍信息 (人口 101, 目 001, the first entry under it), which the examples name.
     */
    @Test
    void everyResourceCodeInTheExamplesIsOneTheCatalogueAssigns() throws Exception {
        JsonNode document = new ObjectMapper().readTree(given().queryParam("format", "json").get("/q/openapi")
                .then().statusCode(200).extract().asString());
        List<String> examples = new ArrayList<>();
        collectExamples(document, false, examples);
        Set<String> codes = new TreeSet<>();
        for (String text : examples) {
            Matcher m = CODE_LIKE.matcher(text);
            while (m.find()) {
                codes.add(m.group());
            }
        }
        assertTrue(codes.contains("101001/000001"), codes.toString());
        assertEquals(Set.of(), codes.stream().filter(code -> !R24.matcher(code).matches())
                .collect(java.util.stream.Collectors.toCollection(TreeSet::new)),
                "resource codes in the examples not in the R24 form; found " + codes);
    }

    /**
     * Records are checked against the catalogue's 信息项 before they are stored (RecordItemsTest): both ways of storing
     * them declare the 409 for items the exchange cannot check, with an example a reader recognises.
     */
    @Test
    void bothWaysOfStoringRecordsDeclareThe409ForItemsTheExchangeCannotCheck() {
        io.restassured.path.json.JsonPath doc = given().accept("application/json").get("/q/openapi").then()
                .statusCode(200).extract().jsonPath();
        for (String path : List.of("records", "uploads")) {
            String conflict = "paths.'/api/exchange/v1/datasets/{resourceCode}/" + path + "'.post.responses.'409'";
            assertEquals(DatasetResource.ITEMS_UNKNOWN, doc.getString(conflict + ".description"), path);
            String example = conflict + ".content.'application/problem+json'.examples.'items not known yet'.value";
            assertEquals(409, doc.getInt(example + ".status"), path);
            assertEquals("urn:onenet:problem:conflict", doc.getString(example + ".type"), path);
            assertEquals("items", doc.getString(example + ".field"), path);
            assertTrue(doc.getString(example + ".detail").contains("信息项"), path);
        }
    }

    /** The text of every example (example, examples.*.value, also JSON written as a string) under {@code node}. */
    private static void collectExamples(JsonNode node, boolean inExample, List<String> out) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : iterable(node)) {
                boolean example = inExample || field.getKey().equals("example") || field.getKey().equals("examples");
                collectExamples(field.getValue(), example, out);
            }
        } else if (node.isArray()) {
            node.forEach(element -> collectExamples(element, inExample, out));
        } else if (inExample) {
            out.add(node.asText());
        }
    }

    private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode node) {
        return node::fields;
    }
}
