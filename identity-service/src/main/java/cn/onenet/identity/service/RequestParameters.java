package cn.onenet.identity.service;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * RFC 6749 §3.1 and §3.2: request parameters "MUST NOT be included more than once". The SDK refuses a parameter
 * repeated with different values but lets one repeated with the same value through; the protocol endpoints refuse
 * both ({@code invalid_request}), as Keycloak does.
 */
public final class RequestParameters {

    /** What a repeated parameter is called when its own name is not a plain parameter name. */
    static final String UNNAMED = "(unnamed)";
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9_.\\-]{1,40}");

    private RequestParameters() {
    }

    /** The name of the first parameter given more than once, else null. */
    public static String repeated(Map<String, List<String>> parameters) {
        if (parameters == null) {
            return null;
        }
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            if (parameter.getValue() != null && parameter.getValue().size() > 1) {
                return PLAIN_NAME.matcher(parameter.getKey()).matches() ? parameter.getKey() : UNNAMED;
            }
        }
        return null;
    }

    /** The {@code error_description} for {@code name} given more than once (printable ASCII). */
    public static String description(String name) {
        return "parameter " + name + " given more than once";
    }
}
