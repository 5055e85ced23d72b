package cn.onenet.common.problem;

import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.validation.ValidationException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.core.CurrentRequestManager;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import cn.onenet.common.logging.LogText;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * Turns every failure into RFC 9457 problem+json. Client mistakes become 4xx with the offending field;
 * anything unexpected becomes a bare 500 whose details stay in the log, under the request id.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response api(ApiException e, HttpHeaders headers, UriInfo uri) {
        Map<String, String> extraHeaders = e.headers();
        if (e.type() == ProblemType.METHOD_NOT_ALLOWED && !extraHeaders.containsKey(HttpHeaders.ALLOW)) {
            extraHeaders = withAllow(extraHeaders);
        }
        return ProblemResponses.response(e.type(), e.getMessage(), path(uri), e.errors(), e.extensions(),
                extraHeaders, headers);
    }

    @ServerExceptionMapper(priority = 1)
    public Response webApplication(WebApplicationException e, HttpHeaders headers, UriInfo uri) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        // The JSON reader wraps parse and mapping failures; answer them with the field they name.
        if (e.getCause() instanceof JsonParseException parse) {
            return jsonSyntax(parse, headers, uri);
        }
        if (e.getCause() instanceof JsonMappingException mapping) {
            return fieldMismatch(mapping, headers, uri);
        }
        if (e.getCause() instanceof JsonProcessingException processing) {
            return jsonProcessing(processing, headers, uri);
        }
        if (e instanceof NotFoundException && (e.getCause() instanceof IllegalArgumentException
                || e.getCause() instanceof DateTimeException)) {
            // A query or path value that did not convert and that StrictParameterConverters could not name.
            return ProblemResponses.response(ProblemType.VALIDATION,
                    "参数类型错误 / a parameter has a value of the wrong type", path(uri), List.of(), Map.of(),
                    Map.of(), headers);
        }
        if (status >= 500) {
            return unexpected(e, headers, uri);
        }
        ProblemType type = ProblemType.forStatus(status);
        String detail = switch (status) {
            case 404 -> "没有此资源 / no resource at " + path(uri);
            case 405 -> "此路径不支持该请求方法 / method not allowed on this path";
            case 406 -> "无法按 Accept 头提供响应 / cannot produce a representation the Accept header allows";
            case 415 -> "不支持此 Content-Type / unsupported Content-Type";
            default -> type.title(false) + " / " + type.title(true);
        };
        Map<String, String> extraHeaders = Map.of();
        if (status == 405) {
            // RFC 9110 §15.5.6: a 405 names the methods the path accepts; Quarkus REST's router sends none.
            String allow = e.getResponse() == null ? null : e.getResponse().getHeaderString(HttpHeaders.ALLOW);
            extraHeaders = allow == null ? withAllow(Map.of()) : Map.of(HttpHeaders.ALLOW, allow);
        }
        return ProblemResponses.response(type, detail, path(uri), List.of(), Map.of(), extraHeaders, headers);
    }

    @ServerExceptionMapper
    public Response invalidParameter(StrictParameterConverters.InvalidParameterException e, HttpHeaders headers,
            UriInfo uri) {
        return ProblemResponses.response(ProblemType.VALIDATION, e.error().message(), path(uri), List.of(e.error()),
                Map.of(), Map.of(), headers);
    }

    @ServerExceptionMapper
    public Response jsonSyntax(JsonParseException e, HttpHeaders headers, UriInfo uri) {
        String where = e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        return ProblemResponses.response(ProblemType.MALFORMED_BODY, "JSON 语法错误 / malformed JSON" + where,
                path(uri), List.of(), Map.of(), Map.of(), headers);
    }

    @ServerExceptionMapper
    public Response jsonMismatch(MismatchedInputException e, HttpHeaders headers, UriInfo uri) {
        return fieldMismatch(e, headers, uri);
    }

    @ServerExceptionMapper
    public Response jsonMapping(JsonMappingException e, HttpHeaders headers, UriInfo uri) {
        return fieldMismatch(e, headers, uri);
    }

    @ServerExceptionMapper
    public Response jsonProcessing(JsonProcessingException e, HttpHeaders headers, UriInfo uri) {
        return ProblemResponses.response(ProblemType.MALFORMED_BODY, "请求体不是有效的 JSON / body is not valid JSON",
                path(uri), List.of(), Map.of(), Map.of(), headers);
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e, HttpHeaders headers, UriInfo uri) {
        List<FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<?> violation : e.getConstraintViolations()) {
            if (isReturnValue(violation.getPropertyPath())) {
                return unexpected(e, headers, uri);
            }
            errors.add(new FieldError(fieldOf(violation.getPropertyPath()), violation.getMessage()));
        }
        errors.sort((a, b) -> a.field().compareTo(b.field()));
        return ProblemResponses.response(ProblemType.VALIDATION, errors.isEmpty() ? null : errors.get(0).message(),
                path(uri), errors, Map.of(), Map.of(), headers);
    }

    @ServerExceptionMapper
    public Response validation(ValidationException e, HttpHeaders headers, UriInfo uri) {
        return unexpected(e, headers, uri);
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, HttpHeaders headers, UriInfo uri) {
        return unauthenticated(headers, uri);
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, HttpHeaders headers, UriInfo uri) {
        return unauthenticated(headers, uri);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, HttpHeaders headers, UriInfo uri) {
        return ProblemResponses.response(ProblemType.FORBIDDEN, "当前身份无权执行此操作 / the caller lacks the required role",
                path(uri), List.of(), Map.of(), Map.of(), headers);
    }

    @ServerExceptionMapper(priority = 10_000)
    public Response unexpected(Throwable e, HttpHeaders headers, UriInfo uri) {
        if (DatabaseUnavailable.causedBy(e)) {
            return databaseUnavailable(e, headers, uri);
        }
        LOG.error("Unexpected failure answering " + LogText.escaped(path(uri)), e); // the decoded path: %0a is a line break
        return ProblemResponses.response(ProblemType.INTERNAL,
                "服务内部错误，请凭请求编号联系运维 / internal error, quote the request id to the operators", path(uri),
                List.of(), Map.of(), Map.of(), headers);
    }

    /**
     * The database is out of reach: 503, for a page (a resource producing HTML) a page saying so. A safe method
     * changed nothing and gets Retry-After; after POST, PUT, PATCH or DELETE the outcome is unknown (the connection
     * may have dropped during COMMIT), so the caller is told to check first and gets no Retry-After.
     * One warning line, without the stack: the outage is the operator's news, readiness already reports it.
     */
    private static Response databaseUnavailable(Throwable e, HttpHeaders headers, UriInfo uri) {
        LOG.warnf("Database unavailable answering %s: %s", LogText.escaped(path(uri)), rootMessage(e));
        ResteasyReactiveRequestContext context = CurrentRequestManager.get();
        boolean outcomeUnknown = DatabaseUnavailable.outcomeUnknown(context == null ? null : context.getMethod());
        Map<String, String> retry = outcomeUnknown ? Map.of()
                : Map.of("Retry-After", String.valueOf(DatabaseUnavailable.RETRY_AFTER_SECONDS));
        if (ProblemPages.currentRequestIsAPage()) {
            return ProblemPages.unavailable(ProblemResponses.prefersEnglish(headers), outcomeUnknown, retry);
        }
        return ProblemResponses.response(ProblemType.UNAVAILABLE, unavailableDetail(outcomeUnknown), path(uri),
                List.of(), Map.of(), retry, headers);
    }

    /** The 503's detail: whether the caller may simply retry, or must first check what happened. */
    static String unavailableDetail(boolean outcomeUnknown) {
        return outcomeUnknown
                ? "数据库暂时不可用，本次操作是否已生效无法确定，请先查询结果再决定是否重新提交 / the database is temporarily "
                        + "unavailable and whether this change took effect is unknown: check the outcome before "
                        + "repeating it"
                : "数据库暂时不可用，未做任何更改，请稍后重试 / the database is temporarily unavailable, nothing was changed: "
                        + "retry shortly";
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 30; depth++) {
            root = root.getCause();
        }
        return root.getClass().getName() + ": " + root.getMessage();
    }

    /** {@code headers} and {@code Allow} with the methods the request's path accepts, when a resource serves it. */
    private static Map<String, String> withAllow(Map<String, String> headers) {
        String allow = AllowedMethods.forCurrentRequest();
        if (allow == null) {
            return headers;
        }
        Map<String, String> with = new LinkedHashMap<>(headers);
        with.put(HttpHeaders.ALLOW, allow);
        return with;
    }

    private static Response unauthenticated(HttpHeaders headers, UriInfo uri) {
        return ProblemResponses.response(ProblemType.UNAUTHORIZED,
                "需要有效的访问令牌 / a valid bearer token is required", path(uri), List.of(), Map.of(),
                Map.of("WWW-Authenticate", "Bearer"), headers);
    }

    private static Response fieldMismatch(JsonMappingException e, HttpHeaders headers, UriInfo uri) {
        if (e.getOriginalMessage() != null && e.getOriginalMessage().contains("end-of-input")) {
            // A truncated document is malformed, whichever field it stopped in.
            return ProblemResponses.response(ProblemType.MALFORMED_BODY, "JSON 不完整 / truncated JSON", path(uri),
                    List.of(), Map.of(), Map.of(), headers);
        }
        if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Trailing token")) {
            return ProblemResponses.response(ProblemType.MALFORMED_BODY,
                    "JSON 值之后有多余内容 / unexpected content after the JSON value", path(uri), List.of(), Map.of(),
                    Map.of(), headers);
        }
        String field = jsonPath(e.getPath());
        String message;
        if (e instanceof InvalidFormatException invalid && invalid.getTargetType() != null
                && invalid.getTargetType().isEnum()) {
            String allowed = Arrays.stream(invalid.getTargetType().getEnumConstants()).map(Object::toString)
                    .collect(Collectors.joining(", "));
            message = "取值无效，允许的值 / invalid value, allowed: " + allowed;
        } else if (e instanceof NulCharacterModule.NulCharacterException) {
            message = NulCharacterModule.MESSAGE;
        } else if (e instanceof UnrecognizedPropertyException) {
            message = "未知字段 / unknown field";
        } else if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            // the JSON type in words: people filling in forms read it, not a Java class name
            message = JsonTypeWords.wrongType(mismatch.getTargetType());
        } else {
            message = "字段值无法解析 / value cannot be read";
        }
        List<FieldError> errors = field.isEmpty() ? List.of() : List.of(new FieldError(field, message));
        ProblemType type = field.isEmpty() ? ProblemType.MALFORMED_BODY : ProblemType.VALIDATION;
        // no form control shows an unknown field's error: the detail names it for whoever reads the problem
        String detail = e instanceof UnrecognizedPropertyException && !field.isEmpty()
                ? "未知字段 " + field + " / unknown field " + field : message;
        return ProblemResponses.response(type, detail, path(uri), errors, Map.of(), Map.of(), headers);
    }

    static String jsonPath(List<JsonMappingException.Reference> references) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : references) {
            if (ref.getFieldName() != null) {
                if (out.length() > 0) {
                    out.append('.');
                }
                out.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    /** "create.request.items[0].name" becomes "items[0].name"; a bare parameter keeps its own name. */
    static String fieldOf(Path path) {
        StringBuilder out = new StringBuilder();
        String parameter = null;
        for (Path.Node node : path) {
            if (node.getKind() == ElementKind.METHOD) {
                continue;
            }
            if (node.getKind() == ElementKind.PARAMETER) {
                parameter = node.getName();
                continue;
            }
            if (node.getIndex() != null && out.length() > 0) {
                out.append('[').append(node.getIndex()).append(']');
            }
            if (node.getName() != null && node.getKind() != ElementKind.CONTAINER_ELEMENT) {
                if (out.length() > 0) {
                    out.append('.');
                }
                out.append(node.getName());
            }
        }
        return out.length() == 0 && parameter != null ? parameter : out.toString();
    }

    private static boolean isReturnValue(Path path) {
        for (Path.Node node : path) {
            if (node.getKind() == ElementKind.RETURN_VALUE) {
                return true;
            }
        }
        return false;
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : uri.getPath();
    }
}
