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
import jakarta.ws.rs.DefaultValue;
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
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import cn.onenet.common.problem.ApiException;
import cn.onenet.common.requestid.RequestIds;
import cn.onenet.exchange.config.ExchangeConfig;
import cn.onenet.exchange.service.Dates;
import cn.onenet.exchange.service.DeliveryService;
import cn.onenet.exchange.service.DeliveryService.Covert;
import cn.onenet.exchange.service.DeliveryService.Sealed;

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
            + "X-Covert-Until + X-Covert-Legal-Basis for a lawful covert query hidden from the citizens' view (HTTP "
            + "headers carry ASCII only: percent-encode the legal basis as UTF-8, e.g. %E3%80%8A… for 《…).")
    public Response lookup(@PathParam("resourceCode") String resourceCode, @PathParam("key") String key,
            @HeaderParam("X-Grant-Id") Long grantId, @HeaderParam("X-Covert-Until") String covertUntil,
            @HeaderParam("X-Covert-Legal-Basis") String covertBasis) {
        Covert covert = null;
        if (covertUntil != null) {
            try {
                LocalDate until = LocalDate.parse(covertUntil);
                if (!Dates.sane(until)) {
                    throw ApiException.field("X-Covert-Until", Dates.OUT_OF_RANGE);
                }
                covert = new Covert(until, percentDecoded(covertBasis));
            } catch (DateTimeParseException e) {
                throw ApiException.field("X-Covert-Until", "日期格式应为 yyyy-MM-dd / a date is expected");
            }
        }
        return sealed(delivery.lookup(caller.get(), resourceCode, key, grantId, covert, RequestIds.current()));
    }

    @GET
    @Path("/{resourceCode: .+}/records")
    @RolesAllowed({ "operator", "system" })
    @Operation(summary = "Filtered, paged query: every other query parameter is item=value on a granted item.",
            description = "A filter must name a granted item that the grant delivers in clear (or the key item): an "
                    + "item the grant delivers masked (sensitive, grade 2 and above, not in the grant's clearItems) is "
                    + "refused with 400 naming the item, as is an item not granted.")
    public Response query(@PathParam("resourceCode") String resourceCode, @Context UriInfo uri,
            @QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("20") int size,
            @HeaderParam("X-Grant-Id") Long grantId) {
        Map<String, String> filters = new LinkedHashMap<>();
        uri.getQueryParameters().forEach((k, v) -> {
            if (!"page".equals(k) && !"size".equals(k) && !v.isEmpty()) {
                filters.put(k, v.get(0));
            }
        });
        return sealed(delivery.query(caller.get(), resourceCode, filters, Math.max(0, page),
                Math.max(1, Math.min(size, config.maxPageSize())), grantId, RequestIds.current()));
    }

    @GET
    @Path("/subscriptions/{grantId}/changes")
    @RolesAllowed({ "operator", "system" })
    @Operation(summary = "Subscription change feed (pull, resumable): changes after the cursor the consumer last "
            + "processed; pass 'next' back as 'after'.")
    public Response changes(@PathParam("grantId") long grantId, @QueryParam("after") @DefaultValue("0") long after,
            @QueryParam("limit") @DefaultValue("100") int limit) {
        return sealed(delivery.changes(caller.get(), grantId, after, Math.max(1, Math.min(limit, config.maxPageSize())),
                RequestIds.current()));
    }

    /**
     * A header value with %XX escapes of UTF-8 bytes decoded ('+' stays); 400 when the escapes are not UTF-8 text or
     * encode control characters.
     */
    static String percentDecoded(String value) {
        if (value == null || value.indexOf('%') < 0) {
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
            } else if (c == '%' || c > 0x7f) {
                throw badBasis();
            } else {
                bytes.write(c);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw badBasis();
        }
    }

    private static ApiException badBasis() {
        return ApiException.field("X-Covert-Legal-Basis",
                "法律依据须为 ASCII 或百分号编码的 UTF-8 / ASCII or percent-encoded UTF-8 is expected");
    }

    private static Response sealed(Sealed s) {
        return Response.ok(s.body(), MediaType.APPLICATION_JSON_TYPE.withCharset("UTF-8"))
                .header(SEAL_HEADER, s.seal()).header("X-Usage-Log-Seq", s.logSeq())
                .header(RESOURCE_CODE_HEADER, s.resourceCode()).build();
    }
}
