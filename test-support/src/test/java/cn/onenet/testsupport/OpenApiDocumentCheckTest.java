package cn.onenet.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class OpenApiDocumentCheckTest {

    private static final String DOCUMENT = """
            {"paths": {
              "/a": {"post": {"summary": "complete",
                  "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Done"}}}},
                  "responses": {"201": {"content": {"application/json": {"schema": {"type": "array",
                      "items": {"$ref": "#/components/schemas/Done"}}}}}}}},
              "/b": {"put": {
                  "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Half"}}}},
                  "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Half"}}}}}}},
              "/c": {"get": {"summary": "no success", "responses": {"404": {}}}},
              "/d": {"get": {"summary": "inline example",
                  "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Half"},
                      "examples": {"one": {"value": {"name": "x"}}}}}}}}}
            },
            "components": {"schemas": {
              "Done": {"type": "object", "properties": {"name": {"type": "string", "example": "张三"},
                  "kind": {"type": "string", "enum": ["A", "B"]}, "self": {"$ref": "#/components/schemas/Done"},
                  "tags": {"type": "array", "items": {"type": "string", "example": "人口"}}}},
              "Half": {"type": "object", "properties": {"name": {"type": "string", "example": "x"},
                  "count": {"type": "integer"}}}
            }}}
            """;

    @Test
    void reportsEachGapAndNothingElse() throws Exception {
        OpenApiDocumentCheck check = OpenApiDocumentCheck.of(new ObjectMapper().readTree(DOCUMENT));
        assertEquals(List.of("PUT /b: no summary", "PUT /b: request body without an example (Half: count)",
                "PUT /b: 200 body without an example (Half: count)", "GET /c: no success response documented"),
                check.problems());
        AssertionError e = assertThrows(AssertionError.class, check::assertComplete);
        assertTrue(e.getMessage().startsWith("4 gaps"), e.getMessage());
    }
}
