package cn.onenet.exchange.service;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;

/** JSON kept in TEXT columns (item lists, legal bases, records). */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper().findAndRegisterModules();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };
    private static final TypeReference<List<Map<String, Object>>> OBJECTS = new TypeReference<>() {
    };
    // Readers and writers built once: the hot path (every record read, every response written) skips resolving
    // the type and configuration on each call
    private static final ObjectReader STRINGS_READER = MAPPER.readerFor(STRINGS);
    private static final ObjectReader OBJECT_READER = MAPPER.readerFor(OBJECT);
    private static final ObjectReader OBJECTS_READER = MAPPER.readerFor(OBJECTS);
    private static final ObjectWriter WRITER = MAPPER.writer();

    private Json() {
    }

    public static String write(Object value) {
        try {
            return WRITER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not serialisable", e);
        }
    }

    /** UTF-8 JSON bytes, written straight to bytes (no intermediate String). */
    public static byte[] bytes(Object value) {
        try {
            return WRITER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not serialisable", e);
        }
    }

    public static List<String> strings(String json) {
        return json == null ? List.of() : read(json, STRINGS_READER);
    }

    public static Map<String, Object> object(String json) {
        return json == null ? null : read(json, OBJECT_READER);
    }

    public static List<Map<String, Object>> objects(String json) {
        return json == null ? List.of() : read(json, OBJECTS_READER);
    }

    private static <T> T read(String json, ObjectReader reader) {
        try {
            return reader.readValue(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON unreadable", e);
        }
    }
}
