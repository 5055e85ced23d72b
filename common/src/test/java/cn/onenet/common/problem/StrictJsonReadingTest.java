package cn.onenet.common.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

class StrictJsonReadingTest {

    record Item(String name) {
    }

    record Body(String purpose, List<Item> items, Map<String, Object> extra, int count) {
    }

    /** As Quarkus builds it (unknown fields ignored), then customised. */
    private static ObjectMapper mapper() {
        ObjectMapper m = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        new StrictJsonReading().customize(m);
        return m;
    }

    @Test
    void aKnownBodyIsReadAsBefore() throws Exception {
        Body body = mapper().readValue("{\"purpose\":\"核验\",\"items\":[{\"name\":\"a\"}],\"extra\":{\"any\":1},"
                + "\"count\":2}", Body.class);
        assertEquals(new Body("核验", List.of(new Item("a")), Map.of("any", 1), 2), body);
    }

    @Test
    void anUnknownFieldIsRefusedNamingIt() {
        UnrecognizedPropertyException e = assertThrows(UnrecognizedPropertyException.class,
                () -> mapper().readValue("{\"purpse\":\"核验\"}", Body.class));
        assertEquals("purpse", ProblemMappers.jsonPath(e.getPath()));
        e = assertThrows(UnrecognizedPropertyException.class,
                () -> mapper().readValue("{\"items\":[{\"name\":\"a\"},{\"name\":\"b\",\"status\":\"x\"}]}",
                        Body.class));
        assertEquals("items[1].status", ProblemMappers.jsonPath(e.getPath()));
    }

    @Test
    void aFractionForAWholeNumberIsStillRefused() {
        assertThrows(InvalidFormatException.class, () -> mapper().readValue("{\"count\":1.5}", Body.class));
    }
}
