package cn.onenet.common.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class NulCharactersTest {

    record Body(String name, List<String> tags, Map<String, Object> extra, int count) {
    }

    private final ObjectMapper mapper = mapper();

    private static ObjectMapper mapper() {
        ObjectMapper m = new ObjectMapper();
        new NulCharacterModule().customize(m);
        return m;
    }

    @Test
    void textWithoutNulIsReadAsBefore() throws Exception {
        Body body = mapper.readValue("{\"name\":\"张三\",\"tags\":[\"a\"],\"extra\":{\"k\":[\"v\",1]},\"count\":2}",
                Body.class);
        assertEquals(new Body("张三", List.of("a"), Map.of("k", List.of("v", 1)), 2), body);
        assertEquals("x", mapper.readTree("{\"a\":[\"x\"]}").get("a").get(0).textValue());
    }

    @Test
    void nulInAStringFieldNamesTheField() {
        NulCharacterModule.NulCharacterException e = assertThrows(NulCharacterModule.NulCharacterException.class,
                () -> mapper.readValue("{\"name\":\"a\\u0000b\"}", Body.class));
        assertEquals("name", ProblemMappers.jsonPath(e.getPath()));
    }

    @Test
    void nulInListsMapsAndTreesIsRefused() {
        NulCharacterModule.NulCharacterException e = assertThrows(NulCharacterModule.NulCharacterException.class,
                () -> mapper.readValue("{\"tags\":[\"ok\",\"\\u0000\"]}", Body.class));
        assertEquals("tags[1]", ProblemMappers.jsonPath(e.getPath()));
        e = assertThrows(NulCharacterModule.NulCharacterException.class,
                () -> mapper.readValue("{\"extra\":{\"deep\":{\"k\\u0000\":1}}}", Body.class));
        assertEquals("extra", ProblemMappers.jsonPath(e.getPath()).substring(0, 5));
        assertThrows(NulCharacterModule.NulCharacterException.class,
                () -> mapper.readValue("{\"a\":[{\"b\":\"\\u0000\"}]}", new TypeReference<Map<String, Object>>() {
                }));
        assertThrows(NulCharacterModule.NulCharacterException.class,
                () -> mapper.readValue("{\"a\":[{\"b\":\"\\u0000\"}]}", JsonNode.class));
    }

    @Test
    void theRouteNamesTheQueryParameterOrThePath() {
        assertEquals("path", NulCharacterRoutes.field("/api/x/a%00b?q=1", "/api/x/a".length()));
        String uri = "/api/x?page=1&provider=a%00b&size=2";
        assertEquals("provider", NulCharacterRoutes.field(uri, uri.indexOf("%00")));
        uri = "/api/x?q%00=1";
        assertEquals("query", NulCharacterRoutes.field(uri, uri.indexOf("%00")));
        uri = "/api/x?%E5%90%8D=%00";
        assertEquals("名", NulCharacterRoutes.field(uri, uri.indexOf("%00")));
    }
}
