package cn.onenet.exchange.rest;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import cn.onenet.common.problem.Problem;
import cn.onenet.exchange.config.ExchangeConfig;
import cn.onenet.exchange.service.Commands.RegisterProxy;
import cn.onenet.exchange.service.DatasetService;
import cn.onenet.exchange.service.DatasetService.UploadResult;
import cn.onenet.exchange.service.ProxyService;
import cn.onenet.exchange.service.StalenessService;
import cn.onenet.exchange.service.StalenessService.Freshness;

/**
 * Providers' data: hosted datasets (upload or push) and proxied services, and their update timeliness against the
 * catalogue's 更新周期.
 */
@Path("/api/exchange/v1/datasets")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "datasets", description = "提供部门数据 (providers' data)")
public class DatasetResource {

    public static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private static final String STORED = "{\"uploadId\": 12, \"resourceCode\": \"101001/000001\", "
            + "\"records\": 2}";

    private final DatasetService datasets;
    private final ProxyService proxies;
    private final CurrentCaller caller;

    private final StalenessService staleness;
    private final ExchangeConfig config;

    public DatasetResource(DatasetService datasets, ProxyService proxies, CurrentCaller caller,
            StalenessService staleness, ExchangeConfig config) {
        this.datasets = datasets;
        this.proxies = proxies;
        this.caller = caller;
        this.staleness = staleness;
        this.config = config;
    }

    @GET
    @RolesAllowed({ "operator", "system", "head", "reviewer", "admin", "auditor" })
    @Operation(summary = "Datasets with their update timeliness (数据更新及时性) against the entry's declared 更新周期: a "
            + "department's staff its own department's, a reviewer those of its token's region (stale=true: the "
            + "region's stale datasets), admins and auditors every region's. One page, by provider and code; "
            + "X-Total-Count counts every match.",
            description = "A dataset is STALE when its last upload is older than its cycle plus "
                    + "exchange.staleness.grace; entries without a fixed cycle (IRREGULAR, ON_DEMAND, unknown), served "
                    + "by the provider's own endpoint (LIVE) or without an upload yet (NO_DATA) never are. A reviewer "
                    + "naming another region, a department's staff naming another provider 403; a reviewer token "
                    + "without region 403.")
    @APIResponse(responseCode = "200", description = "one page of datasets",
            headers = @Header(name = GrantResource.TOTAL_COUNT, description = ListPaging.TOTAL_DOC,
                    schema = @Schema(type = SchemaType.INTEGER, example = "3")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = Freshness.class),
                    examples = @ExampleObject(name = "a region's stale datasets", value = "[" + FRESHNESS + "]")))
    @APIResponse(responseCode = "400", description = "a bad stale, region, page or size, named in field",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "size",
                    value = ListPaging.BAD_SIZE_EXAMPLE)))
    public Response list(
            @Parameter(description = "true: only stale datasets; false: only those not stale", example = "true")
            @QueryParam("stale") Boolean stale,
            @Parameter(description = "region code (county or higher); a reviewer's own region only",
                    example = "330000") @QueryParam("region") String region,
            @Parameter(description = "only this provider department's", example = "11330000002481020A")
            @QueryParam("provider") String provider, @BeanParam PageQuery pages) {
        ListPaging paging = pages.paging(config.maxPageSize());
        List<Freshness> all = staleness.list(caller.get(), region, provider, stale);
        long first = (long) paging.page() * paging.size();
        List<Freshness> one = first >= all.size() ? List.of()
                : all.subList((int) first, (int) Math.min(all.size(), first + paging.size()));
        return ListPaging.answer(one, all.size());
    }

    @GET
    @Path("/{resourceCode: .+}/freshness")
    @RolesAllowed({ "operator", "system", "head", "reviewer", "admin", "auditor" })
    @Operation(summary = "One dataset's update timeliness (数据更新及时性): its declared 更新周期, last upload, whether "
            + "and since when it is stale. For any department's staff, reviewers, admins and auditors; an old code of "
            + "a reclassified entry answers for its current one.")
    @APIResponse(responseCode = "200", description = "the dataset",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = Freshness.class),
                    examples = @ExampleObject(name = "stale", value = FRESHNESS)))
    @APIResponse(responseCode = "404", description = "no live catalogue entry with that code",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Response freshness(@PathParam("resourceCode") String resourceCode) {
        Freshness f = staleness.of(resourceCode);
        return Response.ok(f).header(DataResource.RESOURCE_CODE_HEADER, f.resourceCode()).build();
    }

    /** The 201 both ways of storing records answer (pushed as JSON, or uploaded as a file). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @APIResponse(responseCode = "201", description = "records stored",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = UploadResult.class),
                    examples = @ExampleObject(name = "stored", value = STORED)))
    @interface Stored {
    }

    /**
     * The 409 both ways of storing records answer when the records cannot be checked against the catalogue's 信息项:
     * the replica does not know the entry's items yet ({@code field} items), or an item's data type is not one the
     * exchange knows ({@code field} records[i].CODE). Nothing is stored; the provider sends again later.
     */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @APIResponse(responseCode = "409", description = ITEMS_UNKNOWN,
            content = @Content(mediaType = Problem.MEDIA_TYPE,
                    examples = @ExampleObject(name = "items not known yet", value = ITEMS_UNKNOWN_EXAMPLE)))
    @interface ItemsUnknown {
    }

    static final String ITEMS_UNKNOWN = "the records cannot be checked against the catalogue's information items "
            + "(信息项): the exchange does not know the entry's items yet (field items) or an item's data type (field "
            + "records[i].CODE); nothing was stored";

    private static final String ITEMS_UNKNOWN_DETAIL = "交换平台尚未获知目录 101001/000001 的信息项，暂不能接收数据，请稍后再试 / "
            + "the exchange does not know the information items of catalogue entry 101001/000001 yet: no record can "
            + "be checked against them, nothing was stored; push again later";

    static final String ITEMS_UNKNOWN_EXAMPLE = "{\"type\": \"urn:onenet:problem:conflict\", \"title\": \"资源状态冲突\", "
            + "\"status\": 409, \"detail\": \"" + ITEMS_UNKNOWN_DETAIL + "\", \"field\": \"items\", "
            + "\"errors\": [{\"field\": \"items\", \"message\": \"" + ITEMS_UNKNOWN_DETAIL + "\"}], "
            + "\"requestId\": \"5b1e9c3a-7d24-4f68-9a0b-c2e4f6a81d35\"}";

    private static Response stored(UploadResult r) {
        return Response.status(201).entity(r).header(DataResource.RESOURCE_CODE_HEADER, r.resourceCode()).build();
    }

    private static final String FRESHNESS = "{\"resourceCode\": \"101001/000001\", \"name\": \"居民户籍信息\", "
            + "\"providerDepartmentCode\": \"11330000002481020A\", \"providerDepartmentName\": \"浙江省公安厅\", "
            + "\"regionCode\": \"330000\", \"updateCycle\": \"MONTHLY\", \"state\": \"STALE\", \"stale\": true, "
            + "\"lastUploadAt\": \"2026-10-28T02:00:00Z\", \"lastUploadId\": 12, "
            + "\"staleAfter\": \"2026-12-01T02:00:00Z\"}";

    @POST
    @Path("/{resourceCode: .+}/records")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ "operator", "system", "admin" })
    @Operation(summary = "Push records (JSON array of objects keyed by item code) into the hosted dataset. The "
            + "providing department only (its operator, system or admin; 403 for any other department).")
    @Stored
    @ItemsUnknown
    public Response push(@PathParam("resourceCode") String resourceCode,
            @HeaderParam("Idempotency-Key") String idempotencyKey,
            @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    examples = @ExampleObject(name = "居民户籍信息", value = "[{\"GMSFHM\": \"33010619850312001X\", "
                            + "\"XM\": \"张三\", \"XB\": \"男\", \"CSRQ\": \"1985-03-12\", "
                            + "\"HJDZ\": \"浙江省杭州市西湖区文三路 100 号\"}, {\"GMSFHM\": \"33010619920708002X\", "
                            + "\"XM\": \"李四\", \"XB\": \"女\", \"CSRQ\": \"1992-07-08\", "
                            + "\"HJDZ\": \"浙江省杭州市西湖区天目山路 8 号\"}]")))
            List<Map<String, Object>> records) {
        UploadResult r = datasets.store(caller.get(), resourceCode, "api", records, idempotencyKey);
        return stored(r);
    }

    @POST
    @Path("/{resourceCode: .+}/uploads")
    @Consumes({ "application/x-ndjson", "application/jsonl", "text/csv", XLSX })
    @RolesAllowed({ "operator", "system", "admin" })
    @Operation(summary = "Upload a file: JSON Lines, CSV (header of item codes) or Excel (first sheet). The providing "
            + "department only (its operator, system or admin; 403 for any other department).")
    @Stored
    @ItemsUnknown
    public Response upload(@PathParam("resourceCode") String resourceCode,
            @HeaderParam("Content-Type") String contentType, @HeaderParam("Idempotency-Key") String idempotencyKey,
            byte[] body) {
        String ct = contentType == null ? "" : contentType.toLowerCase();
        String format = ct.startsWith("text/csv") ? "csv" : ct.startsWith(XLSX) ? "xlsx" : "jsonl";
        UploadResult r = datasets.store(caller.get(), resourceCode, format, DatasetService.parse(format, body),
                idempotencyKey);
        return stored(r);
    }

    @PUT
    @Path("/{resourceCode: .+}/proxy")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ "operator", "system", "admin" })
    @Operation(summary = "Register the provider's own endpoint; the exchange then forwards keyed lookups to it. The "
            + "providing department only (its operator, system or admin; 403 for any other department).")
    @APIResponse(responseCode = "200", description = "the endpoint as registered (timeoutMs defaults to 3000)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ProxyService.Endpoint.class),
                    examples = @ExampleObject(name = "licences", value = "{\"url\": "
                            + "\"https://dept.example/api/licences\", \"timeoutMs\": 3000}")))
    public Response proxy(@PathParam("resourceCode") String resourceCode, RegisterProxy body) {
        ProxyService.Registration r = proxies.register(caller.get(), resourceCode, body);
        return Response.ok(r.endpoint()).header(DataResource.RESOURCE_CODE_HEADER, r.resourceCode()).build();
    }
}
