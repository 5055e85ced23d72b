package cn.onenet.gateway.service;

import jakarta.enterprise.context.ApplicationScoped;

import cn.onenet.gateway.client.LoggedPath;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

/**
 * Keeps personal data out of the trace spans (tracing profile): the paths and URLs the HTTP spans record carry ID
 * numbers and credit codes in path segments, and reset links, invitation codes and searches by name in the query
 * string. Every span's path is masked as the access log masks it ({@link LoggedPath}), and its query string is
 * replaced by {@value #REDACTED}: the SDK's span API cannot remove an attribute, so the value is overwritten.
 * <p>
 * Quarkus adds every {@link SpanProcessor} bean to the tracer provider. The HTTP instrumentation sets these
 * attributes when it starts a span, so they are rewritten in {@link #onStart}, before any processor or exporter can
 * read the ended span.
 */
@ApplicationScoped
public class SpanPrivacy implements SpanProcessor {

    static final String REDACTED = "REDACTED";

    /** Server spans (stable HTTP semantic conventions). */
    static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
    static final AttributeKey<String> URL_QUERY = AttributeKey.stringKey("url.query");
    static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");
    /** Client spans (the upstream calls): the whole URL, query string included. */
    static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
    /** The older conventions' equivalents, should an instrumentation still emit them. */
    static final AttributeKey<String> HTTP_TARGET = AttributeKey.stringKey("http.target");
    static final AttributeKey<String> HTTP_URL = AttributeKey.stringKey("http.url");

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
        String path = span.getAttribute(URL_PATH);
        if (path != null) {
            span.setAttribute(URL_PATH, LoggedPath.of(path));
        }
        if (span.getAttribute(URL_QUERY) != null) {
            span.setAttribute(URL_QUERY, REDACTED);
        }
        String route = span.getAttribute(HTTP_ROUTE);
        if (route != null) {
            span.setAttribute(HTTP_ROUTE, LoggedPath.of(route));
        }
        String target = span.getAttribute(HTTP_TARGET);
        if (target != null) {
            span.setAttribute(HTTP_TARGET, LoggedPath.of(withoutQuery(target)));
        }
        String full = span.getAttribute(URL_FULL);
        if (full != null) {
            span.setAttribute(URL_FULL, maskedUrl(full));
        }
        String url = span.getAttribute(HTTP_URL);
        if (url != null) {
            span.setAttribute(HTTP_URL, maskedUrl(url));
        }
    }

    /** scheme://authority and the masked path; no query string, no fragment. */
    static String maskedUrl(String url) {
        String bare = withoutQuery(url);
        int scheme = bare.indexOf("://");
        int pathStart = scheme < 0 ? 0 : bare.indexOf('/', scheme + 3);
        if (pathStart < 0) {
            return bare;
        }
        return bare.substring(0, pathStart) + LoggedPath.of(bare.substring(pathStart));
    }

    private static String withoutQuery(String target) {
        int end = target.length();
        int query = target.indexOf('?');
        int fragment = target.indexOf('#');
        if (query >= 0) {
            end = query;
        }
        if (fragment >= 0 && fragment < end) {
            end = fragment;
        }
        return target.substring(0, end);
    }

    @Override
    public boolean isStartRequired() {
        return true;
    }

    @Override
    public void onEnd(ReadableSpan span) {
    }

    @Override
    public boolean isEndRequired() {
        return false;
    }
}
