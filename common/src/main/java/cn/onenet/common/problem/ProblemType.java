package cn.onenet.common.problem;

/**
 * The stable catalogue of error types every service answers with (RFC 9457 {@code type}).
 * Clients switch on {@link #uri()}; titles are for people, in Chinese first and English on request.
 */
public enum ProblemType {
    VALIDATION(400, "validation", "请求参数校验失败", "Request validation failed"),
    MALFORMED_BODY(400, "malformed-body", "请求体格式错误", "Malformed request body"),
    BAD_REQUEST(400, "bad-request", "错误的请求", "Bad request"),
    UNAUTHORIZED(401, "unauthorized", "未认证或令牌无效", "Authentication required"),
    FORBIDDEN(403, "forbidden", "无权执行此操作", "Not allowed"),
    NOT_FOUND(404, "not-found", "资源不存在", "Resource not found"),
    METHOD_NOT_ALLOWED(405, "method-not-allowed", "不支持的请求方法", "Method not allowed"),
    NOT_ACCEPTABLE(406, "not-acceptable", "无法提供所请求的表示格式", "Not acceptable"),
    CONFLICT(409, "conflict", "资源状态冲突", "Conflict"),
    STALE_VERSION(409, "stale-version", "数据已被他人修改，请刷新后重试", "The resource was changed by someone else"),
    ILLEGAL_TRANSITION(409, "illegal-transition", "当前状态不允许此操作", "Transition not allowed in the current state"),
    GONE(410, "gone", "资源已不可用", "Gone"),
    PAYLOAD_TOO_LARGE(413, "payload-too-large", "请求体过大", "Payload too large"),
    URI_TOO_LONG(414, "uri-too-long", "请求行过长", "Request line too long"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "不支持的内容类型", "Unsupported media type"),
    UNPROCESSABLE(422, "unprocessable", "请求无法处理", "Unprocessable request"),
    RATE_LIMITED(429, "rate-limited", "请求过于频繁", "Too many requests"),
    HEADERS_TOO_LARGE(431, "headers-too-large", "请求头过大", "Request header fields too large"),
    INTERNAL(500, "internal", "服务内部错误", "Internal error"),
    BAD_GATEWAY(502, "bad-gateway", "上游服务响应错误", "Bad gateway"),
    UNAVAILABLE(503, "unavailable", "服务暂不可用", "Service temporarily unavailable"),
    GATEWAY_TIMEOUT(504, "gateway-timeout", "上游服务超时", "Gateway timeout");

    public static final String URI_PREFIX = "urn:onenet:problem:";

    private final int status;
    private final String slug;
    private final String titleZh;
    private final String titleEn;

    ProblemType(int status, String slug, String titleZh, String titleEn) {
        this.status = status;
        this.slug = slug;
        this.titleZh = titleZh;
        this.titleEn = titleEn;
    }

    public int status() {
        return status;
    }

    public String uri() {
        return URI_PREFIX + slug;
    }

    public String title(boolean english) {
        return english ? titleEn : titleZh;
    }

    /** The type a bare HTTP status maps to when nothing more specific is known. */
    public static ProblemType forStatus(int status) {
        switch (status) {
            case 400:
                return BAD_REQUEST;
            case 409:
                return CONFLICT;
            default:
                break;
        }
        for (ProblemType type : values()) {
            if (type.status == status) {
                return type;
            }
        }
        return status >= 500 ? INTERNAL : BAD_REQUEST;
    }
}
