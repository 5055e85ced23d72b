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

    private static final String WRONG_EXAMPLES = """
            {"paths": {
              "/e": {"post": {"summary": "examples that do not fit",
                  "parameters": [{"name": "page", "in": "query", "schema": {"type": "integer"}, "example": "first"}],
                  "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Entry"},
                      "examples": {"ok": {"value": {"code": "A", "count": 3, "at": "2026-01-02T03:04:05Z",
                                                    "tags": ["人口"], "extra": {"k": 1}}},
                                   "bad": {"value": {"code": "C", "count": "3", "day": "2026-02-30",
                                                     "tags": [1], "unknown": true}}}}}},
                  "responses": {"201": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Entry"},
                      "example": {"code": "A", "count": 1.5, "at": "yesterday", "tags": "人口"}}}}}}}
            },
            "components": {"schemas": {
              "Entry": {"type": "object", "properties": {
                  "code": {"type": "string", "enum": ["A", "B"]},
                  "count": {"type": ["integer", "null"], "example": 2},
                  "at": {"type": "string", "format": "date-time"},
                  "day": {"type": "string", "format": "date", "example": "2026-13-01"},
                  "tags": {"type": "array", "items": {"type": "string"}},
                  "extra": {"type": "object", "additionalProperties": {"type": "integer"}},
                  "flag": {"type": "boolean", "example": "yes"},
                  "size": {"type": "integer", "format": "int32", "examples": [5, "five"]}}}
            }}}
            """;

    @Test
    void reportsEveryExampleThatDoesNotFitItsSchema() throws Exception {
        List<String> problems = OpenApiDocumentCheck.of(new ObjectMapper().readTree(WRONG_EXAMPLES)).problems();
        assertEquals(List.of(
                "schema Entry.day example: \"2026-13-01\" is not a date",
                "schema Entry.flag example: \"yes\" is not true or false",
                "schema Entry.size example: \"five\" is not an integer",
                "POST /e request body example 'bad'.code: \"C\" is not one of [\"A\",\"B\"]",
                "POST /e request body example 'bad'.count: \"3\" is not an integer",
                "POST /e request body example 'bad'.day: \"2026-02-30\" is not a date",
                "POST /e request body example 'bad'.tags[0]: 1 is not a string",
                "POST /e request body example 'bad': has property 'unknown' the schema does not define",
                "POST /e 201 body example.count: 1.5 is not an integer",
                "POST /e 201 body example.at: \"yesterday\" is not a date-time",
                "POST /e 201 body example.tags: \"人口\" is not an array",
                "POST /e parameter page example: \"first\" is not an integer"), problems);
    }
}
