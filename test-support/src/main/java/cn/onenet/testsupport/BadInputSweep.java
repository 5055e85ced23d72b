package cn.onenet.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.ConfigProvider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Calls every operation of a service's OpenAPI document with malformed input and reports each answer that breaks
 * the product's rules for bad input: a client error is a 4xx {@code application/problem+json} with the request id,
 * never a 500, a stack trace or SQL; a secured operation refuses a caller without a token (401) and one without any
 * of its roles (403).
 *
 * <p>Malformed means: each path, query and header parameter in turn replaced by values of the wrong type, range or
 * size; request bodies that are not JSON, of the wrong JSON type, empty, with every property null, of the wrong type
 * or far too long; a declared content type replaced by another. Path parameters of the body variants name nothing
 * that exists, so a body that happens to be acceptable changes nothing; bodies that no operation may accept (not
 * JSON, of the wrong type, with NUL characters, sent as text) must not get a 2xx. Bodies whose free texts show nothing
 * (each text a no-break space, or a zero-width space: "blank-looking", as pasted from a word processor) must keep the
 * same rules, and operations named by {@link #refuseBlankLooking} must not accept them.
 */
public final class BadInputSweep {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LONG = "长".repeat(5_000);
    private static final List<String> BAD_VALUES = List.of("abc", "-1", "0", "99999999999999999999", "2026-02-30",
            "%00", "%25", "%E4%B8%AD%E6%96%87", "x".repeat(300), "'%20OR%201=1--");
    private static final List<String> BAD_QUERY_VALUES = List.of("abc", "-1", "0", "99999999999999999999", "",
            "2026-02-30", "a%00b", "'%20OR%201=1--", "x".repeat(3_000));
    private static final List<String> BAD_HEADER_VALUES = List.of("abc", "-1", "99999999999999999999", "2026-02-30",
            "x".repeat(3_000), "\"unterminated");
    /** What gives a server away: stack frames, exception class names, SQL and driver messages. */
    private static final Pattern LEAK = Pattern.compile(
            "\\bat (java|jakarta|org|io|com|cn)\\.[\\w.$]+\\(|[\\w.]+Exception\\b|\\bSQLState\\b|\\bERROR: |"
                    + "\\bselect .+ from |\\binsert into |org\\.hibernate|org\\.postgresql",
            Pattern.CASE_INSENSITIVE);

    private final URI base;
    private final String openApiPath;
    private Function<Set<String>, String> tokens = roles -> null;
    private Predicate<String> otherErrorFormat = path -> false;
    private Predicate<String> skipped = path -> false;
    private Predicate<String> blankLookingRefused = op -> false;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private int requests;

    private BadInputSweep(URI base, String openApiPath) {
        this.base = base;
        this.openApiPath = openApiPath;
    }

    /** A sweep of the service at {@code base} (e.g. {@code http://127.0.0.1:8081}), document at {@code openApiPath}. */
    public static BadInputSweep of(URI base, String openApiPath) {
        return new BadInputSweep(base, openApiPath);
    }

    /** A sweep of the application under {@code @QuarkusTest}, from its generated OpenAPI document. */
    public static BadInputSweep ofTestApplication() {
        return of(URI.create(ConfigProvider.getConfig().getValue("test.url", String.class)), "/q/openapi?format=json");
    }

    /** Runs the sweep and fails with every finding, one per line. */
    public void assertNoFindings() {
        List<String> findings = run();
        if (!findings.isEmpty()) {
            throw new AssertionError(findings.size() + " of " + requests + " requests broke the rules:\n"
                    + String.join("\n", findings));
        }
    }

    /**
     * A valid bearer token for a caller holding at least one of the given roles and none outside them (asked once per
     * set: an operation's roles to call it, all other roles to be refused with 403; an empty set: any caller).
     */
    public BadInputSweep tokens(Function<Set<String>, String> tokensForRoles) {
        Map<Set<String>, String> issued = new java.util.HashMap<>();
        this.tokens = roles -> issued.computeIfAbsent(Set.copyOf(roles), tokensForRoles);
        return this;
    }

    /** Paths whose errors follow another standard (e.g. OAuth 2.0's {@code {"error": …}}): still never 5xx. */
    public BadInputSweep otherErrorFormat(Predicate<String> pathTemplate) {
        this.otherErrorFormat = pathTemplate;
        return this;
    }

    /** Operations left out, e.g. ones that start long-running work; the test says why. */
    public BadInputSweep skip(Predicate<String> methodAndPathTemplate) {
        this.skipped = methodAndPathTemplate;
        return this;
    }

    /**
     * Operations (method and path template, e.g. {@code "POST /api/x/v1/requests"}) that take a required free text: a
     * body whose every text is blank-looking (only a no-break space or a zero-width space) must not get a 2xx.
     */
    public BadInputSweep refuseBlankLooking(Predicate<String> methodAndPathTemplate) {
        this.blankLookingRefused = methodAndPathTemplate;
        return this;
    }

    /** How many requests the last {@link #run()} sent. */
    public int requests() {
        return requests;
    }

    /** Every rule broken, one line each (method, URI, variant, status, start of the body); empty when none. */
    public List<String> run() {
        requests = 0;
        JsonNode doc = document();
        Set<String> allRoles = new TreeSet<>();
        List<Operation> operations = new ArrayList<>();
        for (OpenApiDocuments.Listed listed : OpenApiDocuments.operations(doc)) {
            Operation operation = new Operation(doc, listed.method(), listed.path(), listed.operation());
            if (skipped.test(operation.method + " " + operation.path)) {
                continue;
            }
            allRoles.addAll(operation.roles);
            operations.add(operation);
        }
        if (operations.isEmpty()) {
            throw new IllegalStateException("the OpenAPI document at " + openApiPath + " lists no operations");
        }
        List<String> findings = new ArrayList<>();
        for (Operation op : operations) {
            sweep(op, allRoles, findings);
        }
        return findings;
    }

    private void sweep(Operation op, Set<String> allRoles, List<String> findings) {
        Map<String, String> harmless = op.harmlessPathValues();
        String harmlessUri = op.uri(harmless, Map.of());
        byte[] emptyObject = "{}".getBytes(StandardCharsets.UTF_8);
        String bodyType = op.hasBody() ? op.bodyTypes.get(0) : null;
        if (op.secured()) {
            expect(findings, op, "no token",
                    send(op.method, harmlessUri, null, bodyType, op.hasBody() ? emptyObject : null, Map.of()), 401);
            Set<String> others = new TreeSet<>(allRoles);
            others.removeAll(op.roles);
            if (!op.roles.isEmpty() && !others.isEmpty()) {
                expect(findings, op, "roles " + others, send(op.method, harmlessUri, tokens.apply(others), bodyType,
                        op.hasBody() ? emptyObject : null, Map.of()), 403);
            }
        }
        String token = op.secured() ? tokens.apply(op.roles) : null;
        byte[] minimalBody = op.hasBody() ? op.wellFormedBody() : null;
        for (String name : op.pathParams) {
            for (String bad : BAD_VALUES) {
                Map<String, String> values = new LinkedHashMap<>(harmless);
                values.put(name, bad);
                check(findings, op, "path " + name + "=" + abbreviate(bad),
                        send(op.method, op.uri(values, Map.of()), token, bodyType, minimalBody, Map.of()));
            }
        }
        for (String name : op.queryParams) {
            for (String bad : BAD_QUERY_VALUES) {
                check(findings, op, "query " + name + "=" + abbreviate(bad),
                        send(op.method, op.uri(harmless, Map.of(name, bad)), token, bodyType, minimalBody, Map.of()));
            }
        }
        for (String name : op.headerParams) {
            for (String bad : BAD_HEADER_VALUES) {
                check(findings, op, "header " + name + "=" + abbreviate(bad),
                        send(op.method, harmlessUri, token, bodyType, minimalBody, Map.of(name, bad)));
            }
        }
        if (!op.hasBody()) {
            return;
        }
        if (op.jsonBody) {
            Map<String, byte[]> bodies = new LinkedHashMap<>();
            bodies.put("body not JSON", "{oops".getBytes(StandardCharsets.UTF_8));
            bodies.put("body empty", new byte[0]);
            bodies.put("body null", "null".getBytes(StandardCharsets.UTF_8));
            bodies.put("body array", "[]".getBytes(StandardCharsets.UTF_8));
            bodies.put("body string", "\"x\"".getBytes(StandardCharsets.UTF_8));
            bodies.put("body {}", emptyObject);
            bodies.put("body all null", op.body(Variant.NULLS));
            bodies.put("body wrong types", op.body(Variant.WRONG_TYPES));
            bodies.put("body too long", op.body(Variant.TOO_LONG));
            bodies.put("body NUL characters", op.body(Variant.NUL));
            bodies.put("body wrong items", op.body(Variant.WRONG_ITEMS));
            bodies.put("body NBSP-only texts", op.body(Variant.NBSP));
            bodies.put("body ZWSP-only texts", op.body(Variant.ZWSP));
            // bodies no operation may accept: a 2xx means malformed input was taken (and perhaps stored)
            String schemaType = op.bodySchema == null ? "" : op.bodySchema.path("type").asText("");
            Set<String> refused = new TreeSet<>(Set.of("body not JSON", "body wrong types", "body NUL characters"));
            if (op.bodyRequired) {
                refused.addAll(Set.of("body empty", "body null"));
            }
            if (!schemaType.equals("array")) {
                refused.add("body array");
            }
            if (!schemaType.equals("string")) {
                refused.add("body string");
            }
            if (blankLookingRefused.test(op.method + " " + op.path)) {
                refused.addAll(Set.of("body NBSP-only texts", "body ZWSP-only texts"));
            }
            for (Map.Entry<String, byte[]> body : bodies.entrySet()) {
                Answer answer = send(op.method, harmlessUri, token, "application/json", body.getValue(), Map.of());
                check(findings, op, body.getKey(), answer);
                if (refused.contains(body.getKey()) && answer.status < 300) {
                    findings.add(answer.describe(body.getKey(), "accepted"));
                }
            }
            Answer plain = send(op.method, harmlessUri, token, "text/plain", emptyObject, Map.of());
            check(findings, op, "body as text/plain", plain);
            if (plain.status < 300) {
                findings.add(plain.describe("body as text/plain", "accepted"));
            }
        } else {
            for (String type : op.bodyTypes) {
                check(findings, op, "garbage " + type, send(op.method, harmlessUri, token, type,
                        "\u0000\u00ff{oops,\"\n;;;\r\nPK\u0003\u0004".getBytes(StandardCharsets.ISO_8859_1), Map.of()));
                check(findings, op, "empty " + type,
                        send(op.method, harmlessUri, token, type, new byte[0], Map.of()));
            }
        }
    }

    private static String abbreviate(String value) {
        return value.length() > 12 ? value.substring(0, 3) + "…(" + value.length() + ")" : value;
    }

    private void expect(List<String> findings, Operation op, String variant, Answer answer, int status) {
        if (answer.status != status) {
            findings.add(answer.describe(variant, "expected " + status));
            return;
        }
        check(findings, op, variant, answer);
    }

    private void check(List<String> findings, Operation op, String variant, Answer answer) {
        if (answer.status >= 500 && answer.status != 502 && answer.status != 503 && answer.status != 504) {
            findings.add(answer.describe(variant, "server error"));
        } else if (answer.status >= 400 && !otherErrorFormat.test(op.path)) {
            if (!answer.contentType.startsWith("application/problem+json")) {
                findings.add(answer.describe(variant, "not problem+json"));
            } else if (!answer.body.contains("\"requestId\"")) {
                findings.add(answer.describe(variant, "problem without requestId"));
            }
        }
        if (answer.status >= 400 && LEAK.matcher(answer.body).find()) {
            findings.add(answer.describe(variant, "leaks internals"));
        }
    }

    private record Answer(String method, String uri, int status, String contentType, String body) {
        String describe(String variant, String rule) {
            String start = body.length() > 300 ? body.substring(0, 300) + "…" : body;
            return rule + ": " + method + " " + (uri.length() > 160 ? uri.substring(0, 160) + "…" : uri) + " ["
                    + variant + "] → " + status + " " + contentType + " " + start.replace('\n', ' ');
        }
    }

    private Answer send(String method, String uri, String token, String contentType, byte[] body,
            Map<String, String> headers) {
        requests++;
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(base.resolve(uri)).timeout(Duration.ofSeconds(30));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the sweep built an invalid URI " + uri, e);
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (contentType != null && body != null) {
            request.header("Content-Type", contentType);
        }
        request.header("Accept", "application/json, application/problem+json, */*");
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = http.send(request.build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(method, uri, response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + uri + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private JsonNode document() {
        Answer answer = send("GET", openApiPath, null, null, null, Map.of());
        if (answer.status != 200) {
            throw new IllegalStateException("no OpenAPI document at " + openApiPath + ": " + answer.status);
        }
        try {
            return JSON.readTree(answer.body);
        } catch (IOException e) {
            throw new IllegalStateException("the OpenAPI document at " + openApiPath + " is not JSON", e);
        }
    }

    private enum Variant {
        NULLS, WRONG_TYPES, TOO_LONG, WRONG_ITEMS, NUL, NBSP, ZWSP
    }

    /** One operation of the document, with what the sweep needs to call it. */
    private static final class Operation {
        final JsonNode doc;
        final String method;
        final String path;
        final Set<String> roles = new TreeSet<>();
        final boolean securedByDocument;
        final List<String> pathParams = new ArrayList<>();
        final Map<String, JsonNode> pathSchemas = new LinkedHashMap<>();
        final List<String> queryParams = new ArrayList<>();
        final List<String> headerParams = new ArrayList<>();
        final List<String> bodyTypes = new ArrayList<>();
        final JsonNode bodySchema;
        final boolean jsonBody;
        final boolean bodyRequired;

        Operation(JsonNode doc, String method, String path, JsonNode op) {
            this.doc = doc;
            this.method = method;
            this.path = path;
            this.securedByDocument = op.has("security") && op.get("security").size() > 0;
            for (JsonNode requirement : op.path("security")) {
                requirement.fields().forEachRemaining(scheme -> scheme.getValue().forEach(r -> roles.add(r.asText())));
            }
            for (JsonNode p : op.path("parameters")) {
                String name = p.path("name").asText();
                switch (p.path("in").asText()) {
                    case "path" -> {
                        pathParams.add(name);
                        pathSchemas.put(name, resolve(p.path("schema")));
                    }
                    case "query" -> queryParams.add(name);
                    case "header" -> {
                        if (!name.equalsIgnoreCase("Authorization")) {
                            headerParams.add(name);
                        }
                    }
                    default -> {
                    }
                }
            }
            JsonNode content = op.path("requestBody").path("content");
            content.fieldNames().forEachRemaining(bodyTypes::add);
            this.jsonBody = bodyTypes.contains("application/json");
            this.bodyRequired = op.path("requestBody").path("required").asBoolean(false);
            this.bodySchema = jsonBody ? resolve(content.path("application/json").path("schema")) : null;
        }

        boolean secured() {
            return securedByDocument;
        }

        boolean hasBody() {
            return !bodyTypes.isEmpty();
        }

        /** Values of the right type that name nothing: a request that passes them changes nothing. */
        Map<String, String> harmlessPathValues() {
            Map<String, String> values = new LinkedHashMap<>();
            for (String name : pathParams) {
                JsonNode schema = pathSchemas.get(name);
                String type = schema.path("type").asText();
                String format = schema.path("format").asText();
                String value;
                if (type.equals("integer") || type.equals("number")) {
                    value = "987654321";
                } else if (format.equals("date")) {
                    value = "2099-12-31";
                } else if (format.equals("uuid")) {
                    value = "00000000-0000-0000-0000-000000000000";
                } else if (schema.has("enum") && schema.get("enum").size() > 0) {
                    value = schema.get("enum").get(0).asText();
                } else {
                    value = "NO-SUCH-" + name.toUpperCase();
                }
                values.put(name, value);
            }
            return values;
        }

        String uri(Map<String, String> pathValues, Map<String, String> query) {
            String uri = path;
            for (Map.Entry<String, String> v : pathValues.entrySet()) {
                // the bad values are written already encoded where it matters (%00, %25, UTF-8)
                uri = uri.replace("{" + v.getKey() + "}", v.getValue().replace(" ", "%20").replace("'", "%27"));
            }
            StringBuilder q = new StringBuilder();
            for (Map.Entry<String, String> v : query.entrySet()) {
                q.append(q.length() == 0 ? '?' : '&').append(URLEncoder.encode(v.getKey(), StandardCharsets.UTF_8))
                        .append('=').append(v.getValue().replace(" ", "%20").replace("'", "%27"));
            }
            return uri + q;
        }

        /** A body the schema allows, at least in shape: the parameter sweeps send it so that they test the parameter. */
        byte[] wellFormedBody() {
            if (!jsonBody) {
                return new byte[0];
            }
            return bytes(sample(bodySchema, 0));
        }

        byte[] body(Variant variant) {
            if (bodySchema == null || !bodySchema.has("properties")) {
                return switch (variant) {
                    case NULLS -> "null".getBytes(StandardCharsets.UTF_8);
                    case WRONG_TYPES -> "12345".getBytes(StandardCharsets.UTF_8);
                    case TOO_LONG -> bytes(JsonNodeFactory.instance.textNode(LONG));
                    case WRONG_ITEMS -> "[[[]]]".getBytes(StandardCharsets.UTF_8);
                    case NUL -> bytes(JsonNodeFactory.instance.textNode("a\u0000b"));
                    case NBSP -> bytes(JsonNodeFactory.instance.textNode("\u00a0"));
                    case ZWSP -> bytes(JsonNodeFactory.instance.textNode("\u200b"));
                };
            }
            if (variant == Variant.NBSP || variant == Variant.ZWSP) {
                return bytes(blankLooking(bodySchema, 0, variant == Variant.NBSP ? "\u00a0" : "\u200b"));
            }
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            bodySchema.get("properties").fields().forEachRemaining(p -> {
                JsonNode schema = resolve(p.getValue());
                String type = schema.path("type").asText("object");
                switch (variant) {
                    case NULLS -> body.putNull(p.getKey());
                    case WRONG_TYPES -> {
                        switch (type) {
                            case "string" -> body.putObject(p.getKey()).put("not", "a string");
                            case "integer", "number" -> body.put(p.getKey(), "abc");
                            case "boolean" -> body.put(p.getKey(), "perhaps");
                            case "array" -> body.put(p.getKey(), "not an array");
                            default -> body.put(p.getKey(), 42);
                        }
                    }
                    case TOO_LONG -> {
                        switch (type) {
                            case "integer" -> body.put(p.getKey(), "99999999999999999999999");
                            case "number" -> body.put(p.getKey(), 1e308);
                            case "array" -> {
                                ArrayNode items = body.putArray(p.getKey());
                                for (int i = 0; i < 2_000; i++) {
                                    items.add(LONG.substring(0, 20));
                                }
                            }
                            case "boolean" -> body.put(p.getKey(), true);
                            case "object" -> body.putObject(p.getKey()).put(LONG, LONG);
                            default -> body.put(p.getKey(), LONG);
                        }
                    }
                    case NUL -> {
                        // PostgreSQL refuses U+0000 in text and jsonb: it must be refused before it gets there
                        JsonNode sample = sample(schema, 1);
                        if (type.equals("array")) {
                            body.putArray(p.getKey()).add("a\u0000b");
                        } else if (sample.isTextual()) {
                            body.put(p.getKey(), "a\u0000b");
                        } else {
                            body.set(p.getKey(), sample);
                        }
                    }
                    case NBSP, ZWSP -> {
                    }
                    case WRONG_ITEMS -> {
                        if (type.equals("array")) {
                            body.putArray(p.getKey()).addNull().add(7).addObject().put("x", 1);
                        } else {
                            body.set(p.getKey(), sample(schema, 1));
                        }
                    }
                }
            });
            return bytes(body);
        }

        private JsonNode sample(JsonNode schema, int depth) {
            JsonNode s = resolve(schema);
            String type = s.path("type").asText(s.has("properties") ? "object" : "");
            String format = s.path("format").asText();
            if (s.has("enum") && s.get("enum").size() > 0) {
                return s.get("enum").get(0);
            }
            return switch (type) {
                case "integer", "number" -> JsonNodeFactory.instance.numberNode(987654321);
                case "boolean" -> JsonNodeFactory.instance.booleanNode(false);
                case "array" -> JsonNodeFactory.instance.arrayNode();
                case "string" -> JsonNodeFactory.instance.textNode(switch (format) {
                    case "date" -> "2099-12-31";
                    case "date-time" -> "2099-12-31T00:00:00Z";
                    default -> "NO-SUCH-VALUE";
                });
                default -> {
                    ObjectNode o = JsonNodeFactory.instance.objectNode();
                    if (depth < 3) {
                        s.path("properties").fields()
                                .forEachRemaining(p -> o.set(p.getKey(), sample(p.getValue(), depth + 1)));
                    }
                    yield o;
                }
            };
        }

        /**
         * A body the schema allows in shape whose free texts (strings that are neither enumerated nor dates) are all
         * {@code blank}, lists of text included.
         */
        private JsonNode blankLooking(JsonNode schema, int depth, String blank) {
            JsonNode s = resolve(schema);
            String type = s.path("type").asText(s.has("properties") ? "object" : "");
            if (type.equals("string") && !s.has("enum") && s.path("format").asText().isEmpty()) {
                return JsonNodeFactory.instance.textNode(blank);
            }
            if (type.equals("array")) {
                ArrayNode items = JsonNodeFactory.instance.arrayNode();
                JsonNode item = resolve(s.path("items"));
                if (item.path("type").asText().equals("string") && !item.has("enum")) {
                    items.add(blank);
                }
                return items;
            }
            if (type.equals("object") && depth < 3) {
                ObjectNode o = JsonNodeFactory.instance.objectNode();
                s.path("properties").fields()
                        .forEachRemaining(p -> o.set(p.getKey(), blankLooking(p.getValue(), depth + 1, blank)));
                return o;
            }
            return sample(s, depth);
        }

        private JsonNode resolve(JsonNode schema) {
            return OpenApiDocuments.resolve(doc, schema);
        }

        private static byte[] bytes(JsonNode node) {
            try {
                return JSON.writeValueAsBytes(node);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
