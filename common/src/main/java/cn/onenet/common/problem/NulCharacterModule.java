package cn.onenet.common.problem;

import java.io.IOException;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.deser.std.JsonNodeDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * Request bodies whose text carries the NUL character ({@code "\u0000"}) are refused while they are read, as a 400
 * naming the field: PostgreSQL refuses U+0000 in text and jsonb, so it would otherwise surface as a database error
 * after part of the work was done. Covers text read as {@code String}, as untyped values (maps, lists) and as trees.
 */
@Singleton
public class NulCharacterModule implements ObjectMapperCustomizer {

    public static final String MESSAGE = "不得包含空字符 (U+0000) / must not contain the NUL character";

    @Override
    public void customize(ObjectMapper mapper) {
        SimpleModule module = new SimpleModule("nul-characters");
        module.setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public JsonDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription description,
                    JsonDeserializer<?> deserializer) {
                Class<?> type = description.getBeanClass();
                return type == String.class || type == Object.class ? new Checked(deserializer) : deserializer;
            }
        });
        @SuppressWarnings("unchecked")
        JsonDeserializer<JsonNode> trees = (JsonDeserializer<JsonNode>) (JsonDeserializer<?>) new Checked(
                JsonNodeDeserializer.getDeserializer(JsonNode.class));
        module.addDeserializer(JsonNode.class, trees);
        mapper.registerModule(module);
    }

    /** Thrown for text with a NUL; the problem mapper reports its field. */
    public static final class NulCharacterException extends JsonMappingException {
        NulCharacterException(JsonParser parser) {
            super(parser, MESSAGE);
        }
    }

    /** Whether text, or any text inside maps, lists and trees, carries a NUL character. */
    public static boolean containsNul(Object value) {
        if (value instanceof CharSequence text) {
            return text.toString().indexOf('\0') >= 0;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (containsNul(e.getKey()) || containsNul(e.getValue())) {
                    return true;
                }
            }
        } else if (value instanceof Collection<?> items) {
            for (Object item : items) {
                if (containsNul(item)) {
                    return true;
                }
            }
        } else if (value instanceof JsonNode node) {
            if (node.isTextual()) {
                return node.textValue().indexOf('\0') >= 0;
            }
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getKey().indexOf('\0') >= 0 || containsNul(field.getValue())) {
                    return true;
                }
            }
            if (node.isArray()) {
                for (JsonNode item : node) {
                    if (containsNul(item)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static final class Checked extends DelegatingDeserializer {
        private static final long serialVersionUID = 1L;

        Checked(JsonDeserializer<?> delegate) {
            super(delegate);
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> delegate) {
            return new Checked(delegate);
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            Object value = super.deserialize(p, ctxt);
            if (containsNul(value)) {
                throw new NulCharacterException(p);
            }
            return value;
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt, Object intoValue) throws IOException {
            Object value = super.deserialize(p, ctxt, intoValue);
            if (containsNul(value)) {
                throw new NulCharacterException(p);
            }
            return value;
        }
    }
}
