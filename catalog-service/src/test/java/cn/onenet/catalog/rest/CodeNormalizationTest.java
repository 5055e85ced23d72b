package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.POLICE;
import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.create;
import static cn.onenet.catalog.support.Fixtures.editor;
import static cn.onenet.catalog.support.Fixtures.entry;
import static cn.onenet.catalog.support.Fixtures.published;
import static cn.onenet.catalog.support.Fixtures.reviewer;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A code typed with full-width digits, letters and slash or with an ideographic space (U+3000) around it, as Chinese
 * input methods and spreadsheet cells give it, is the same code: on lookup as on input, as search already takes it.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class CodeNormalizationTest {

    private static final String E = "/api/catalog/v1/entries";

    /** The code with its ASCII digits, letters and slash full-width. */
    private static String wide(String code) {
        StringBuilder b = new StringBuilder();
        code.chars().forEach(ch -> b.append(ch >= '!' && ch <= '~' ? (char) (ch - '!' + '！') : (char) ch));
        return b.toString();
    }

    @Test
    void anEntryIsFoundByItsCodeTypedFullWidthOrWithIdeographicSpaces() {
        long id = published(editor(), entry("代码-全角查找"));
        String code = as(editor()).get(E + "/" + id).then().statusCode(200).extract().path("resourceCode");
        for (String typed : List.of(code, wide(code), code + "\u3000", "\u3000" + wide(code) + "\u3000", " " + code)) {
            as(editor()).queryParam("code", typed).get(E + "/by-code").then().statusCode(200)
                    .body("id", equalTo((int) id)).body("resourceCode", equalTo(code));
        }
        // blank once folded is no code at all
        as(editor()).queryParam("code", "\u3000").get(E + "/by-code").then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("code"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void codesTypedFullWidthOrWithIdeographicSpacesAreStoredAsTheCodes() {
        Map<String, Object> body = entry("代码-全角录入");
        body.put("providerDepartmentCode", wide(POLICE) + "\u3000");
        body.put("regionCode", "\u3000" + wide("330000"));
        Map<String, Object> classification = (Map<String, Object>) body.get("classification");
        classification.put("itemCode", wide("01"));
        classification.put("catalogCode", wide("001") + "\u3000");
        classification.put("detailCode", wide("07"));
        List<Map<String, Object>> items = (List<Map<String, Object>>) body.get("items");
        items.get(0).put("code", wide("GMSFHM") + "\u3000");
        items.get(1).put("code", wide("XM_2"));
        body.put("keyItem", wide("GMSFHM"));
        body.put("relatedResourceCodes", new ArrayList<>(List.of(wide("101001/000001") + "\u3000")));
        long id = create(editor(), body);
        as(editor()).get(E + "/" + id).then().statusCode(200)
                .body("draft.providerDepartmentCode", equalTo(POLICE)).body("draft.regionCode", equalTo("330000"))
                .body("draft.classification.itemCode", equalTo("01"))
                .body("draft.classification.catalogCode", equalTo("001"))
                .body("draft.classification.detailCode", equalTo("07"))
                .body("draft.items[0].code", equalTo("GMSFHM")).body("draft.items[1].code", equalTo("XM_2"))
                .body("draft.keyItem", equalTo("GMSFHM"))
                .body("draft.relatedResourceCodes", equalTo(List.of("101001/000001")))
                .body("classificationCode", equalTo("10100107"));
        // the work list's provider filter takes the code typed the same way
        as(reviewer()).queryParam("provider", wide(POLICE) + "\u3000").queryParam("size", 200).get(E).then()
                .statusCode(200).body("id", hasItem((int) id));
    }

    @Test
    @SuppressWarnings("unchecked")
    void anItemCodeTypedFullWidthIsTheSameCodeAsItsAsciiForm() {
        Map<String, Object> body = entry("代码-全角重复");
        List<Map<String, Object>> items = (List<Map<String, Object>>) body.get("items");
        items.get(1).put("code", wide("GMSFHM"));
        as(editor()).body(body).post(E).then().statusCode(400).contentType("application/problem+json")
                .body("errors.find { it.field == 'items[1].code' }.message", containsString("duplicate"));
    }

    @Test
    void aSearchFilteredByARegionCodeTypedFullWidthFindsItsEntries() {
        published(editor(), entry("代码-全角筛选"));
        int region = as(editor()).queryParam("region", "330000").get("/api/catalog/v1/search").then().statusCode(200)
                .extract().path("total");
        org.junit.jupiter.api.Assertions.assertTrue(region > 0);
        as(editor()).queryParam("region", "\u3000" + wide("330000")).get("/api/catalog/v1/search").then()
                .statusCode(200).body("total", equalTo(region));
    }
}
