package cn.onenet.common.problem;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * Request bodies are read strictly by every service: {@code 1.5} for a whole-number field is refused instead of
 * being stored as 1, a field the body type does not have ({@code purpse} for {@code purpose}, or {@code status} that
 * only the service sets) is refused instead of ignored, and content after the JSON value ({@code {...} garbage}) is
 * refused instead of ignored. All answer 400 problem+json through {@link ProblemMappers}, the first two naming the
 * field.
 * <p>
 * The same mapper reads other services' answers through the REST clients: those types are tolerant readers
 * ({@code @JsonIgnoreProperties(ignoreUnknown = true)}), so a field added by the other service breaks nothing.
 */
@Singleton
public class StrictJsonReading implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        // Quarkus turns this off by default; a misspelt or read-only field silently ignored hides the client's mistake
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }
}
