package cn.onenet.exchange.rest;

import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import cn.onenet.exchange.service.Commands.RegisterProxy;
import cn.onenet.exchange.service.DatasetService;
import cn.onenet.exchange.service.DatasetService.UploadResult;
import cn.onenet.exchange.service.ProxyService;

/** Providers' data: hosted datasets (upload or push) and proxied services. */
@Path("/api/exchange/v1/datasets")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "datasets", description = "提供部门数据 (providers' data)")
public class DatasetResource {

    public static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private static final String STORED = "{\"uploadId\": 12, \"resourceCode\": \"330000-01-02/000123\", "
            + "\"records\": 2}";

    private final DatasetService datasets;
    private final ProxyService proxies;
    private final CurrentCaller caller;

    public DatasetResource(DatasetService datasets, ProxyService proxies, CurrentCaller caller) {
        this.datasets = datasets;
        this.proxies = proxies;
        this.caller = caller;
    }

    @POST
    @Path("/{resourceCode: .+}/records")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ "operator", "system", "admin" })
    @Operation(summary = "Push records (JSON array of objects keyed by item code) into the hosted dataset. The "
            + "providing department only (its operator, system or admin; 403 for any other department).")
    @APIResponse(responseCode = "201", description = "records stored",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = UploadResult.class),
                    examples = @ExampleObject(name = "stored", value = STORED)))
    public Response push(@PathParam("resourceCode") String resourceCode,
            @HeaderParam("Idempotency-Key") String idempotencyKey,
            @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    examples = @ExampleObject(name = "居民户籍信息", value = "[{\"GMSFHM\": \"33010619850312001X\", "
                            + "\"XM\": \"张伟\", \"XB\": \"男\", \"CSRQ\": \"1985-03-12\", "
                            + "\"HJDZ\": \"浙江省杭州市西湖区文三路 100 号\"}, {\"GMSFHM\": \"33010619920708002X\", "
                            + "\"XM\": \"李娜\", \"XB\": \"女\", \"CSRQ\": \"1992-07-08\", "
                            + "\"HJDZ\": \"浙江省杭州市西湖区天目山路 8 号\"}]")))
            List<Map<String, Object>> records) {
        UploadResult r = datasets.store(caller.get(), resourceCode, "api", records, idempotencyKey);
        return Response.status(201).entity(r).header(DataResource.RESOURCE_CODE_HEADER, r.resourceCode()).build();
    }

    @POST
    @Path("/{resourceCode: .+}/uploads")
    @Consumes({ "application/x-ndjson", "application/jsonl", "text/csv", XLSX })
    @RolesAllowed({ "operator", "system", "admin" })
    @Operation(summary = "Upload a file: JSON Lines, CSV (header of item codes) or Excel (first sheet). The providing "
            + "department only (its operator, system or admin; 403 for any other department).")
    @APIResponse(responseCode = "201", description = "records stored",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = UploadResult.class),
                    examples = @ExampleObject(name = "stored", value = STORED)))
    public Response upload(@PathParam("resourceCode") String resourceCode,
            @HeaderParam("Content-Type") String contentType, @HeaderParam("Idempotency-Key") String idempotencyKey,
            byte[] body) {
        String ct = contentType == null ? "" : contentType.toLowerCase();
        String format = ct.startsWith("text/csv") ? "csv" : ct.startsWith(XLSX) ? "xlsx" : "jsonl";
        UploadResult r = datasets.store(caller.get(), resourceCode, format, DatasetService.parse(format, body),
                idempotencyKey);
        return Response.status(201).entity(r).header(DataResource.RESOURCE_CODE_HEADER, r.resourceCode()).build();
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
