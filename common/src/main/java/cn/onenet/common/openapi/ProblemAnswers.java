package cn.onenet.common.openapi;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityRequirement;

import cn.onenet.common.problem.Problem;

/**
 * Declares in a service's OpenAPI document the problem+json answers every operation of that kind really gives, so a
 * client generated from the document knows them without each of the many operations spelling them out:
 * <ul>
 * <li>401 on an operation that needs a login (it has a security requirement);</li>
 * <li>403 where roles are named (the security requirement lists them);</li>
 * <li>404 on an operation with a path parameter (the thing it names may not exist or not be visible);</li>
 * <li>409 stale-version on a change (POST, PUT, PATCH, DELETE) of a thing named in the path that carries the version
 * the caller read: a {@code version} in the JSON body or the query, or If-Match — every service checks it and
 * answers 409;</li>
 * <li>400 on an operation with parameters or a body: a malformed value, named in {@code field}.</li>
 * </ul>
 * An answer the operation declares itself keeps its description and examples. Only the bare answers the framework adds
 * on its own (description only, no content) get the problem body. Registered with {@code mp.openapi.filter}.
 */
public class ProblemAnswers implements OASFilter {

    /** The name of the shared schema under components.schemas. */
    public static final String SCHEMA = "Problem";
    static final String REF = "#/components/schemas/" + SCHEMA;

    static final String UNAUTHORIZED = "no valid access token (unauthorized): log in, or the token expired or was "
            + "revoked";
    static final String FORBIDDEN = "the caller's roles or department do not allow this (forbidden)";
    static final String NOT_FOUND = "nothing with this identifier, or nothing the caller may see (not-found)";
    static final String STALE_VERSION = "the version given is no longer the current one: someone changed it since "
            + "the caller read it (stale-version, currentVersion when known); read it again and retry";
    static final String BAD_REQUEST = "a parameter or the body is malformed or invalid (validation, malformed-body); "
            + "field and errors[].field name what to correct";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        Components components = openAPI.getComponents();
        if (components == null) {
            components = OASFactory.createComponents();
            openAPI.setComponents(components);
        }
        if (components.getSchemas() == null || !components.getSchemas().containsKey(SCHEMA)) {
            components.addSchema(SCHEMA, problemSchema());
        }
        for (Map.Entry<String, PathItem> path : openAPI.getPaths().getPathItems().entrySet()) {
            PathItem item = path.getValue();
            if (item.getOperations() == null) {
                continue;
            }
            for (Map.Entry<PathItem.HttpMethod, Operation> op : item.getOperations().entrySet()) {
                declare(openAPI, path.getKey(), item, op.getKey(), op.getValue());
            }
        }
    }

    private static void declare(OpenAPI doc, String path, PathItem item, PathItem.HttpMethod method, Operation op) {
        APIResponses responses = op.getResponses();
        if (responses == null) {
            responses = OASFactory.createAPIResponses();
            op.setResponses(responses);
        }
        List<SecurityRequirement> security = op.getSecurity();
        if (security != null && !security.isEmpty()) {
            answer(responses, "401", UNAUTHORIZED);
            boolean roles = security.stream().anyMatch(requirement -> requirement.getSchemes() != null
                    && requirement.getSchemes().values().stream().anyMatch(r -> r != null && !r.isEmpty()));
            if (roles) {
                answer(responses, "403", FORBIDDEN);
            }
        }
        boolean pathParameter = path.contains("{");
        if (pathParameter) {
            answer(responses, "404", NOT_FOUND);
        }
        if (pathParameter && changes(method) && carriesVersion(doc, item, op)) {
            answer(responses, "409", STALE_VERSION);
        }
        if (op.getRequestBody() != null || hasParameters(item, op)) {
            answer(responses, "400", BAD_REQUEST);
        }
    }

    /** Adds the answer when missing; gives a bare one (description only) the problem body, its words unchanged. */
    private static void answer(APIResponses responses, String status, String description) {
        APIResponse existing = responses.getAPIResponse(status);
        if (existing == null) {
            responses.addAPIResponse(status, OASFactory.createAPIResponse().description(description)
                    .content(problemContent()));
        } else if (existing.getRef() == null && (existing.getContent() == null
                || existing.getContent().getMediaTypes() == null || existing.getContent().getMediaTypes().isEmpty())) {
            existing.setContent(problemContent());
        }
    }

    private static Content problemContent() {
        return OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                OASFactory.createMediaType().schema(OASFactory.createSchema().ref(REF)));
    }

    private static boolean changes(PathItem.HttpMethod method) {
        return method == PathItem.HttpMethod.POST || method == PathItem.HttpMethod.PUT
                || method == PathItem.HttpMethod.PATCH || method == PathItem.HttpMethod.DELETE;
    }

    private static boolean hasParameters(PathItem item, Operation op) {
        return isPathOrQuery(op.getParameters()) || isPathOrQuery(item.getParameters());
    }

    private static boolean isPathOrQuery(List<Parameter> parameters) {
        return parameters != null && parameters.stream().anyMatch(p -> p.getIn() == Parameter.In.PATH
                || p.getIn() == Parameter.In.QUERY || namesVersion(p));
    }

    private static boolean namesVersion(Parameter p) {
        return p.getIn() == Parameter.In.QUERY && "version".equals(p.getName())
                || p.getIn() == Parameter.In.HEADER && "If-Match".equalsIgnoreCase(p.getName());
    }

    /** A {@code version} query parameter, an If-Match header, or a {@code version} property of the JSON body. */
    private static boolean carriesVersion(OpenAPI doc, PathItem item, Operation op) {
        for (List<Parameter> parameters : Arrays.asList(op.getParameters(), item.getParameters())) {
            if (parameters != null && parameters.stream().anyMatch(ProblemAnswers::namesVersion)) {
                return true;
            }
        }
        if (op.getRequestBody() == null || op.getRequestBody().getContent() == null
                || op.getRequestBody().getContent().getMediaTypes() == null) {
            return false;
        }
        MediaType json = op.getRequestBody().getContent().getMediaTypes().get("application/json");
        return json != null && hasVersion(doc, json.getSchema(), 0);
    }

    private static boolean hasVersion(OpenAPI doc, Schema schema, int depth) {
        if (schema == null || depth > 4) {
            return false;
        }
        if (schema.getRef() != null) {
            String ref = schema.getRef();
            Map<String, Schema> schemas = doc.getComponents().getSchemas();
            return schemas != null && hasVersion(doc, schemas.get(ref.substring(ref.lastIndexOf('/') + 1)),
                    depth + 1);
        }
        if (schema.getProperties() != null && schema.getProperties().containsKey("version")) {
            return true;
        }
        return schema.getAllOf() != null && schema.getAllOf().stream().anyMatch(s -> hasVersion(doc, s, depth + 1));
    }

    /**
     * RFC 9457 problem details as {@link Problem} writes them. Property examples as {@code example}, the form the
     * rest of the document has (from {@code @Schema(example = ...)}).
     */
    @SuppressWarnings("deprecation")
    private static Schema problemSchema() {
        Schema text = OASFactory.createSchema().addType(SchemaType.STRING);
        return OASFactory.createSchema().addType(SchemaType.OBJECT)
                .description("RFC 9457 problem details (application/problem+json). Clients switch on type; title "
                        + "and detail are for people (Chinese, English with Accept-Language: en); requestId finds the "
                        + "log lines. Further members (such as currentVersion or retryAfterSeconds) may follow.")
                .addRequired("type").addRequired("title").addRequired("status")
                .addProperty("type", OASFactory.createSchema().addType(SchemaType.STRING)
                        .description("the kind of problem, urn:onenet:problem:<slug>")
                        .example("urn:onenet:problem:not-found"))
                .addProperty("title", OASFactory.createSchema().addType(SchemaType.STRING)
                        .description("short summary of the kind").example("资源不存在"))
                .addProperty("status", OASFactory.createSchema().addType(SchemaType.INTEGER)
                        .description("the HTTP status").example(404))
                .addProperty("detail", OASFactory.createSchema().addType(SchemaType.STRING)
                        .description("what went wrong in this request").example("没有该授权 / no grant 17"))
                .addProperty("instance", OASFactory.createSchema().addType(SchemaType.STRING)
                        .description("the request path").example("/api/exchange/v1/grants/17"))
                .addProperty("field", OASFactory.createSchema().addType(SchemaType.STRING)
                        .description("the first offending field or parameter").example("size"))
                .addProperty("errors", OASFactory.createSchema().addType(SchemaType.ARRAY)
                        .description("every offending field with its message")
                        .items(OASFactory.createSchema().addType(SchemaType.OBJECT)
                                .addProperty("field", text)
                                .addProperty("message", text)))
                .addProperty("requestId", OASFactory.createSchema().addType(SchemaType.STRING)
                        .description("the request id (X-Request-Id) to quote")
                        .example("4c7e1a9d-2b3f-4e58-8a61-0d9f3c5b7e12"));
    }
}
