package cn.onenet.common.problem;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.MatrixParam;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;
import jakarta.ws.rs.ext.Provider;

/**
 * Converts whole-number, true/false and enum parameters itself, so that a value of the wrong type
 * ({@code ?size=abc}, {@code ?state=FOO}, {@code ?partial=1}, {@code /entries/x}) is refused as a 400 naming the
 * parameter. The JAX-RS default answers a failed query or path conversion with a bare 404 that names nothing, and
 * reads any word but "true" as false for a boolean; RESTEasy Reactive passes a
 * {@link jakarta.ws.rs.WebApplicationException} thrown here through unchanged.
 */
@Provider
public class StrictParameterConverters implements ParamConverterProvider {

    static final String WHOLE_NUMBER = "应为整数 / must be a whole number";
    static final String TRUE_OR_FALSE = "应为 true 或 false / must be true or false";

    private static final Map<Class<?>, Function<String, ?>> WHOLE_NUMBERS = Map.of(
            int.class, Integer::valueOf, Integer.class, Integer::valueOf,
            long.class, Long::valueOf, Long.class, Long::valueOf,
            short.class, Short::valueOf, Short.class, Short::valueOf);

    @Override
    @SuppressWarnings({ "unchecked", "rawtypes" })
    public <T> ParamConverter<T> getConverter(Class<T> rawType, Type genericType, Annotation[] annotations) {
        String name = nameOf(annotations);
        if (name == null) {
            return null;
        }
        Function<String, ?> wholeNumber = WHOLE_NUMBERS.get(rawType);
        if (wholeNumber != null) {
            return (ParamConverter<T>) new Checked<>(name, wholeNumber, WHOLE_NUMBER);
        }
        if (rawType == boolean.class || rawType == Boolean.class) {
            // Boolean.valueOf reads every word but "true" as false: ?partial=1 or ?facets=yes would silently mean no.
            boolean primitive = rawType == boolean.class;
            return (ParamConverter<T>) new Checked<>(name, value -> trueOrFalse(value, primitive), TRUE_OR_FALSE);
        }
        // An enum with its own fromString keeps the JAX-RS conversion, which prefers that method.
        if (rawType.isEnum() && !declaresFromString(rawType)) {
            Class<? extends Enum> type = (Class<? extends Enum>) rawType;
            String allowed = Arrays.stream(rawType.getEnumConstants()).map(c -> ((Enum<?>) c).name())
                    .collect(Collectors.joining(", "));
            return (ParamConverter<T>) new Checked<>(name, value -> Enum.valueOf(type, value),
                    "取值无效，允许的值 / invalid value, allowed: " + allowed);
        }
        return null;
    }

    /** A parameter value that does not convert to the parameter's type. */
    public static final class InvalidParameterException extends BadRequestException {
        private static final long serialVersionUID = 1L;
        private final FieldError error;

        InvalidParameterException(String parameter, String message) {
            super(message);
            this.error = new FieldError(parameter, message);
        }

        public FieldError error() {
            return error;
        }
    }

    private static String nameOf(Annotation[] annotations) {
        if (annotations == null) {
            return null;
        }
        for (Annotation a : annotations) {
            String name = a instanceof QueryParam q ? q.value()
                    : a instanceof PathParam p ? p.value()
                    : a instanceof HeaderParam h ? h.value()
                    : a instanceof FormParam f ? f.value()
                    : a instanceof CookieParam c ? c.value()
                    : a instanceof MatrixParam m ? m.value()
                    : null;
            if (name != null && !name.isEmpty()) {
                return name;
            }
        }
        return null;
    }

    /**
     * true or false in any letter case; an empty value is the parameter not given (as a form leaves an unticked box
     * out or sends it empty), anything else is refused. RESTEasy Reactive hands a primitive parameter that is not
     * given to its converter as "0" (its default for every primitive without @DefaultValue), so for a primitive
     * {@code boolean} "0" is false too; a {@code Boolean} refuses it.
     */
    static Boolean trueOrFalse(String value, boolean primitive) {
        String v = value.strip();
        if (v.isEmpty()) {
            return primitive ? Boolean.FALSE : null;
        }
        if (v.equalsIgnoreCase("true")) {
            return Boolean.TRUE;
        }
        if (v.equalsIgnoreCase("false") || (primitive && v.equals("0"))) {
            return Boolean.FALSE;
        }
        throw new IllegalArgumentException(TRUE_OR_FALSE);
    }

    private static boolean declaresFromString(Class<?> type) {
        for (Method m : type.getDeclaredMethods()) {
            if (m.getName().equals("fromString") && Modifier.isStatic(m.getModifiers())
                    && List.of(m.getParameterTypes()).equals(List.of(String.class))) {
                return true;
            }
        }
        return false;
    }

    private record Checked<T>(String parameter, Function<String, T> convert, String message)
            implements ParamConverter<T> {

        @Override
        public T fromString(String value) {
            if (value == null) {
                return null;
            }
            try {
                return convert.apply(value);
            } catch (IllegalArgumentException e) {
                throw new InvalidParameterException(parameter, message);
            }
        }

        @Override
        public String toString(T value) {
            return value == null ? null : value.toString();
        }
    }
}
