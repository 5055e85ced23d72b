package cn.onenet.common.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.annotation.Annotation;

import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ext.ParamConverter;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class StrictParameterConvertersTest {

    private final StrictParameterConverters converters = new StrictParameterConverters();

    private static Annotation[] query(String name) {
        return new Annotation[] { new QueryParam() {
            @Override
            public String value() {
                return name;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return QueryParam.class;
            }
        } };
    }

    @Test
    void trueAndFalseAreReadInAnyLetterCase() {
        ParamConverter<Boolean> flag = converters.getConverter(boolean.class, boolean.class, query("partial"));
        assertEquals(Boolean.TRUE, flag.fromString("true"));
        assertEquals(Boolean.TRUE, flag.fromString("TRUE"));
        assertEquals(Boolean.TRUE, flag.fromString("True"));
        assertEquals(Boolean.FALSE, flag.fromString("false"));
        assertEquals(Boolean.FALSE, flag.fromString("FALSE"));
        ParamConverter<Boolean> wrapper = converters.getConverter(Boolean.class, Boolean.class, query("facets"));
        assertEquals(Boolean.TRUE, wrapper.fromString("true"));
        assertEquals(Boolean.FALSE, wrapper.fromString("False"));
    }

    @Test
    void anEmptyValueIsTheFlagNotGiven() {
        assertEquals(Boolean.FALSE,
                converters.getConverter(boolean.class, boolean.class, query("partial")).fromString(""));
        assertNull(converters.getConverter(Boolean.class, Boolean.class, query("facets")).fromString(""));
        assertNull(converters.getConverter(Boolean.class, Boolean.class, query("facets")).fromString(null));
    }

    @Test
    void aPrimitiveFlagNotGivenIsFalse() {
        // RESTEasy Reactive passes "0" for a primitive parameter that is not given
        assertEquals(Boolean.FALSE,
                converters.getConverter(boolean.class, boolean.class, query("partial")).fromString("0"));
        assertEquals("facets", assertThrows(StrictParameterConverters.InvalidParameterException.class,
                () -> converters.getConverter(Boolean.class, Boolean.class, query("facets")).fromString("0"))
                .error().field());
    }

    @ParameterizedTest
    @ValueSource(strings = { "maybe", "1", "on", "off", "yes", "no", "t", "truee", "是", "-1" })
    void anyOtherWordIsA400NamingTheParameter(String value) {
        ParamConverter<Boolean> flag = converters.getConverter(boolean.class, boolean.class, query("partial"));
        StrictParameterConverters.InvalidParameterException e = assertThrows(
                StrictParameterConverters.InvalidParameterException.class, () -> flag.fromString(value));
        assertEquals("partial", e.error().field());
        assertEquals(400, e.getResponse().getStatus());
        ParamConverter<Boolean> wrapper = converters.getConverter(Boolean.class, Boolean.class, query("facets"));
        assertEquals("facets", assertThrows(StrictParameterConverters.InvalidParameterException.class,
                () -> wrapper.fromString(value)).error().field());
    }

    @Test
    void wholeNumbersAreStillChecked() {
        ParamConverter<Integer> size = converters.getConverter(Integer.class, Integer.class, query("size"));
        assertEquals(5, size.fromString("5"));
        assertEquals("size", assertThrows(StrictParameterConverters.InvalidParameterException.class,
                () -> size.fromString("abc")).error().field());
    }
}
