package cn.onenet.common.problem;

import java.util.Map;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.core.CurrentRequestManager;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;

import cn.onenet.common.requestid.RequestIds;

/**
 * Failures met by a resource that answers browsers with HTML (a login or registration page) are answered with a
 * small page: a person reads it, and raw JSON in the browser tells them nothing.
 */
final class ProblemPages {

    private ProblemPages() {
    }

    /** Whether the resource answering the current request produces HTML. */
    static boolean currentRequestIsAPage() {
        ResteasyReactiveRequestContext context = CurrentRequestManager.get();
        if (context == null || context.getTarget() == null || context.getTarget().getProduces() == null) {
            return false;
        }
        for (MediaType type : context.getTarget().getProduces().getSortedOriginalMediaTypes()) {
            if (type.isCompatible(MediaType.TEXT_HTML_TYPE) && !type.isWildcardType()) {
                return true;
            }
        }
        return false;
    }

    /**
     * 503 page: the service cannot reach its database for now. After a form submission ({@code outcomeUnknown}) the
     * change may have been made before the connection dropped, so the page does not invite a plain resubmission.
     */
    static Response unavailable(boolean english, boolean outcomeUnknown, Map<String, String> headers) {
        String requestId = RequestIds.current();
        String reference = requestId == null ? ""
                : "<p>请求编号 / request id: <code>" + escape(requestId) + "</code></p>\n";
        String title = "服务暂不可用 / Service temporarily unavailable";
        String body = "<!DOCTYPE html>\n<html lang=\"" + (english ? "en" : "zh-CN") + "\">\n<head>\n"
                + "<meta charset=\"utf-8\">\n<title>" + title + "</title>\n</head>\n<body>\n<main>\n<h1>" + title + "</h1>\n"
                + (outcomeUnknown
                        ? "<p id=\"error-zh\">服务暂时无法访问其数据库，刚才提交的操作是否已生效无法确定。请先查看结果，再决定是否重新提交。</p>\n"
                                + "<p lang=\"en\" id=\"error-en\">The service cannot reach its database for the moment; "
                                + "whether what you submitted took effect is unknown. Check the outcome before "
                                + "submitting it again.</p>\n"
                        : "<p id=\"error-zh\">服务暂时无法访问其数据库，未做任何更改。请过几秒钟后刷新本页重试。</p>\n"
                                + "<p lang=\"en\" id=\"error-en\">The service cannot reach its database for the moment; "
                                + "nothing was changed. Reload this page in a few seconds.</p>\n")
                + reference + "</main>\n</body>\n</html>\n";
        Response.ResponseBuilder builder = Response.status(503).entity(body).type("text/html; charset=UTF-8")
                .header("Cache-Control", "no-store")
                .header("X-Frame-Options", "DENY")
                .header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; base-uri 'none'")
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "same-origin");
        headers.forEach(builder::header);
        return builder.build();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
