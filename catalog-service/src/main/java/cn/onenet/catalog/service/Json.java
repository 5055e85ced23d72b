package cn.onenet.catalog.service;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

/** Reads and writes the JSON documents kept in jsonb columns. */
@ApplicationScoped
public class Json {

    private final ObjectMapper mapper;
    // Request bodies refuse unknown fields; a stored document written before a field was dropped must still read
    private final ObjectReader stored;

    public Json(ObjectMapper mapper) {
        this.mapper = mapper;
        this.stored = mapper.reader().without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    public String write(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    public <T> T read(String json, Class<T> type) {
        if (json == null) {
            return null;
        }
        try {
            return stored.forType(type).readValue(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored document unreadable as " + type.getSimpleName(), e);
        }
    }

    public JsonNode tree(String json) {
        try {
            return json == null ? mapper.nullNode() : mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored document unreadable", e);
        }
    }

    public JsonNode tree(Object value) {
        return mapper.valueToTree(value);
    }

    public ObjectMapper mapper() {
        return mapper;
    }
}
