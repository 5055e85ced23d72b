package cn.onenet.exchange.rest;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.PrintableText;
import cn.onenet.common.problem.Problem;
import cn.onenet.common.requestid.RequestIds;
import cn.onenet.exchange.config.ExchangeConfig;
import cn.onenet.exchange.service.Fields;
import cn.onenet.exchange.service.Dates;
import cn.onenet.exchange.service.DeliveryService;
import cn.onenet.exchange.service.DeliveryService.Covert;
import cn.onenet.exchange.service.DeliveryService.Sealed;
import cn.onenet.exchange.service.TextLimits;

/**
 * Data delivery: only granted items, masked by grade, sealed by the provider (header {@code X-Exchange-Seal}: a
 * JWS with detached payload over the exact body bytes), logged before it leaves.
 */
@Path("/api/exchange/v1/data")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "data", description = "数据调用 (data delivery)")
public class DataResource {

    public static final String SEAL_HEADER = "X-Exchange-Seal";
    /**
     * The code the resource carries now, on every answer to a call naming a resource: after a reclassification an
     * old code still works and this header names the new one.
     */
    public static final String RESOURCE_CODE_HEADER = "X-Resource-Code";
    /**
     * The reason (事由) of one keyed lookup, e.g. the case number it is made for: kept in the usage-log entry (inside
     * what the chain hashes) and shown to the citizen and the 主管部门 next to the grant's purpose.
     */
    public static final String REASON_HEADER = "X-Onenet-Reason";
    /** Rows of a filtered query when size is not given. */
    static final int QUERY_PAGE_SIZE = 20;
    /** The longest reason accepted, in characters (compare 申请事由 ≤ 200 characters). */
    public static final int MAX_REASON = 200;

    private final DeliveryService delivery;
    private final CurrentCaller caller;
    private final ExchangeConfig config;

    public DataResource(DeliveryService delivery, CurrentCaller caller, ExchangeConfig config) {
        this.delivery = delivery;
        this.caller = caller;
        this.config = config;
    }

    @GET
    @Path("/{resourceCode: .+}/records/{key}")
    @RolesAllowed({ "operator", "system" })
    @Operation(summary = "Keyed lookup under the caller department's grant. Headers: X-Grant-Id (optional), "
            + "X-Onenet-Reason (the call's reason, 事由, e.g. a case number: at most 200 characters, no control "
            + "characters; optional unless exchange.reason.required), X-Covert-Until + X-Covert-Legal-Basis for a "
            + "lawful covert query hidden from the citizens' view (HTTP headers carry ASCII only: percent-encode the "
            + "reason and the legal basis as UTF-8, e.g. %E3%80%8A… for 《…). It takes no query parameters: one is "
            + "refused with 400 naming it (the answer holds the grant's items, nothing narrows or widens them).")
    @APIResponse(responseCode = "200", description = "the record, minimised and masked, sealed (X-Exchange-Seal)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "found",
                    value = LOOKUP_EXAMPLE)))
    @APIResponse(responseCode = "400", description = "a malformed header, named in field: X-Onenet-Reason longer "
            + "than 200 characters, with control characters, not percent-encoded UTF-8, or missing where a reason "
            + "is required; a bad X-Covert-Until or X-Covert-Legal-Basis; any query parameter", content = @Content(
                    mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "bad reason",
                            value = BAD_REASON_EXAMPLE)))
    public Response lookup(@PathParam("resourceCode") String resourceCode, @PathParam("key") String key,
            @HeaderParam("X-Grant-Id") Long grantId, @HeaderParam("X-Covert-Until") String covertUntil,
            @HeaderParam("X-Covert-Legal-Basis") String covertBasis,
            @Parameter(description = "the call's reason (事由), e.g. a case number; percent-encoded UTF-8, at most 200 "
                    + "characters", example = "%E6%A1%88%E4%BB%B6%E5%8F%B7%202026-0001")
            @HeaderParam(REASON_HEADER) String reasonHeader, @Context UriInfo uri) {
        refuseQueryParameters(uri);
        String reason = reason(reasonHeader, config.reason().required());
        Covert covert = null;
        if (covertUntil != null) {
            try {
                LocalDate until = LocalDate.parse(covertUntil);
                if (!Dates.sane(until)) {
                    throw ApiException.field("X-Covert-Until", Dates.OUT_OF_RANGE);
                }
                covert = new Covert(until, covertBasis(covertBasis));
            } catch (DateTimeParseException e) {
                throw ApiException.field("X-Covert-Until", "日期格式应为 yyyy-MM-dd / a date is expected");
            }
        }
        return sealed(delivery.lookup(caller.get(), resourceCode, key, grantId, covert, reason,
                RequestIds.current()));
    }

    /**
     * A keyed lookup reads no query parameter: one given ({@code ?items=CSRQ}, a misspelt filter) is refused with 400
     * naming it rather than ignored, so a system that believes it narrowed or widened the answer learns that it did not.
     */
    private static void refuseQueryParameters(UriInfo uri) {
        String name = uri.getQueryParameters().keySet().stream().findFirst().orElse(null);
        if (name != null) {
            throw ApiException.field(name, "未知查询参数：按主键查询不接受查询参数，交付的是授权的数据项 / unknown query "
                    + "parameter: a keyed lookup takes none, it delivers the grant's items");
        }
    }

    static final String LOOKUP_EXAMPLE = "{\"resourceCode\": \"101001/000001\", \"key\": \"330106********001X\", "
            + "\"grantId\": 17, \"purpose\": \"社会保障待遇资格认证\", \"reason\": \"案件号 2026-0001\", "
            + "\"requestId\": \"9b1c2d3e-4f50-4a6b-8c7d-0e1f2a3b4c5d\", \"usageLogSeq\": 1043, "
            + "\"deliveredAt\": \"2026-12-04T09:31:12.48Z\", \"record\": {\"XM\": \"张*\", \"HJDZ\": \"杭州市西湖区\"}, "
            + "\"maskedItems\": [\"XM\"]}";

    static final String BAD_REASON_EXAMPLE = "{\"type\": \"urn:onenet:problem:validation\", \"title\": \"请求参数校验失败\", "
            + "\"status\": 400, \"detail\": \"事由不能含控制字符 / the reason must not contain control characters\", "
            + "\"field\": \"X-Onenet-Reason\", \"errors\": [{\"field\": \"X-Onenet-Reason\", \"message\": \"事由不能含控制"
            + "字符 / the reason must not contain control characters\"}], "
            + "\"requestId\": \"5e0c2a9b-7d41-4f3e-b6a8-1c9d0e2f4a7b\"}";

    /**
     * The call's reason from {@value #REASON_HEADER}: percent-decoded UTF-8, trimmed, null when absent or blank, also
     * when it shows nothing (no-break or zero-width spaces only: {@link PrintableText#hasVisibleText}) (400
     * when {@code required}); 400 naming the header when it is longer than {@value #MAX_REASON} characters or holds a
     * control character (also one percent-encoded), or its escapes are not UTF-8.
     */
    static String reason(String header, boolean required) {
        String decoded = header == null ? null : percentDecoded(header, REASON_HEADER);
        if (!PrintableText.printableLine(decoded)) {
            throw ApiException.field(REASON_HEADER, "事由不能含控制字符 / the reason must not contain control characters");
        }
        String reason = decoded == null ? null : decoded.strip();
        if (!PrintableText.hasVisibleText(reason)) {
            if (required) {
                throw ApiException.field(REASON_HEADER, PrintableText.missingMessage(reason, "须在 " + REASON_HEADER
                        + " 中说明本次查询的事由（如案件号） / state the reason of this lookup (e.g. the case number) in "
                        + REASON_HEADER));
            }
            return null;
        }
        if (reason.codePointCount(0, reason.length()) > MAX_REASON) {
            throw ApiException.field(REASON_HEADER, "事由最多 " + MAX_REASON + " 字 / the reason is at most " + MAX_REASON
                    + " characters");
        }
        return reason;
    }

    @GET
    @Path("/{resourceCode: .+}/records")
    @RolesAllowed({ "operator", "system" })
    @Operation(summary = "Filtered, paged query: every other query parameter is item=value on a granted item.",
            description = "A filter must name a granted item that the grant delivers in clear (or the key item): an "
                    + "item the grant delivers masked (sensitive, grade 2 and above, not in the grant's clearItems) is "
                    + "refused with 400 naming the item, as is an item not granted. X-Onenet-Reason (事由) is read, "
                    + "checked, logged and shown to the citizen as for a keyed lookup; with exchange.reason.required it "
                    + "is required (400 naming the header) for a query that filters on the key item or on a value that "
                    + "is a 公民身份号码 or 统一社会信用代码: such a query is a keyed lookup in all but the URL.")
    public Response query(@PathParam("resourceCode") String resourceCode, @Context UriInfo uri,
            @Parameter(description = "page number from 0 (default 0); out of range 400 naming page", example = "0")
            @QueryParam("page") String page,
            @Parameter(description = "rows per page, 1 to exchange.max-page-size (default 20); out of range 400 naming "
                    + "size", example = "20") @QueryParam("size") String size,
            @HeaderParam("X-Grant-Id") Long grantId,
            @Parameter(description = "the call's reason (事由), as for a keyed lookup", example = "%E6%A1%88%E4%BB%B6"
                    + "%E5%8F%B7%202026-0001") @HeaderParam(REASON_HEADER) String reasonHeader) {
        String reason = reason(reasonHeader, false);
        // refused out of range as every list refuses it: a page silently moved answers rows nobody asked for
        ListPaging paging = ListPaging.of(page, size, config.maxPageSize(), QUERY_PAGE_SIZE);
        int p = paging.page();
        int n = paging.size();
        Map<String, String> filters = new LinkedHashMap<>();
        uri.getQueryParameters().forEach((k, v) -> {
            if (!"page".equals(k) && !"size".equals(k) && !v.isEmpty()) {
                filters.put(k, v.get(0));
            }
        });
        if (reason == null && config.reason().required() && delivery.namesSubject(resourceCode, filters)) {
            reason(reasonHeader, true); // a query naming one person or enterprise: 400 naming the header
        }
        return sealed(delivery.query(caller.get(), resourceCode, filters, p, n, grantId, reason,
                RequestIds.current()));
    }

    /**
     * A whole-number query parameter ({@code absent} when missing or blank); 400 naming it when it is not a whole
     * number (as a number the endpoint brings it into range).
     */
    static long whole(Fields.Field field, String value, long absent) {
        if (value == null || value.isBlank()) {
            return absent;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw field.error(field.wholeNumber(Long.MIN_VALUE, Long.MAX_VALUE));
        }
    }

    @GET
    @Path("/subscriptions/{grantId}/changes")
    @RolesAllowed({ "operator", "system" })
    @Operation(summary = "Subscription change feed (pull, resumable): changes after the cursor the consumer last "
            + "processed; pass 'next' back as 'after'.")
    public Response changes(@PathParam("grantId") long grantId,
            @Parameter(description = "the cursor last processed (default 0; below 0 reads as 0)", example = "0")
            @QueryParam("after") String after,
            @Parameter(description = "changes per answer (default 100), brought into 1 to exchange.max-page-size",
                    example = "100") @QueryParam("limit") String limit) {
        long from = whole(Fields.FEED_AFTER, after, 0);
        int n = (int) Math.max(1, Math.min(whole(Fields.LIMIT, limit, 100), config.maxPageSize()));
        return sealed(delivery.changes(caller.get(), grantId, from, n, RequestIds.current()));
    }

    /**
     * The legal basis of a covert query from X-Covert-Legal-Basis, percent-decoded: as a request's declared basis, at
     * most {@value TextLimits#LEGAL_BASIS} characters and no control character (a raw tab included), else 400 naming
     * the header. Whether it cites a law is checked against the grant.
     */
    static String covertBasis(String header) {
        String basis = percentDecoded(header);
        if (!PrintableText.printableLine(basis)) {
            throw ApiException.field("X-Covert-Legal-Basis", "法律依据不能含控制字符 / the legal basis must not contain "
                    + "control characters");
        }
        if (basis != null && basis.strip().length() > TextLimits.LEGAL_BASIS) {
            throw ApiException.field("X-Covert-Legal-Basis", "法律依据最多 " + TextLimits.LEGAL_BASIS + " 字 / the legal "
                    + "basis is at most " + TextLimits.LEGAL_BASIS + " characters");
        }
        return basis;
    }

    /**
     * A header value with %XX escapes of UTF-8 bytes decoded ('+' stays); 400 when the escapes are not UTF-8 text or
     * encode control characters.
     */
    static String percentDecoded(String value) {
        return percentDecoded(value, "X-Covert-Legal-Basis");
    }

    /** As {@link #percentDecoded(String)}, a failure naming {@code header}. */
    static String percentDecoded(String value, String header) {
        if (value == null) {
            return null;
        }
        // a header's bytes are read as ISO-8859-1: Chinese sent as raw UTF-8 arrives as other characters (some of them
        // C1 controls), so it is refused for what it is, saying how to send it
        if (value.chars().anyMatch(c -> c > 0x7f)) {
            throw badEncoding(header);
        }
        if (value.indexOf('%') < 0) {
            return value;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            int hi = i + 2 < value.length() && c == '%' ? Character.digit(value.charAt(i + 1), 16) : -1;
            int lo = hi < 0 ? -1 : Character.digit(value.charAt(i + 2), 16);
            if (lo >= 0 && hi * 16 + lo >= 0x20 && hi * 16 + lo != 0x7f) {
                bytes.write(hi * 16 + lo);
                i += 2;
            } else if (c == '%') {
                throw badEncoding(header);
            } else {
                bytes.write(c);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw badEncoding(header);
        }
    }

    private static ApiException badEncoding(String header) {
        return ApiException.field(header, ("X-Covert-Legal-Basis".equals(header) ? "法律依据" : "事由")
                + "须为 ASCII 或百分号编码的 UTF-8（HTTP 头不能直接携带中文，如“案”应写作 %E6%A1%88） / " + header
                + " must be ASCII or percent-encoded UTF-8 (HTTP headers carry no raw Chinese: send 案 as %E6%A1%88)");
    }

    private static Response sealed(Sealed s) {
        return Response.ok(s.body(), MediaType.APPLICATION_JSON_TYPE.withCharset("UTF-8"))
                .header(SEAL_HEADER, s.seal()).header("X-Usage-Log-Seq", s.logSeq())
                .header(RESOURCE_CODE_HEADER, s.resourceCode()).build();
    }
}
