package cn.onenet.exchange.rest;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
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

import cn.onenet.exchange.config.ExchangeConfig;
import cn.onenet.exchange.model.ShareGrant;
import cn.onenet.exchange.model.UsageRecord;
import cn.onenet.exchange.model.UsageRecord.Kind;
import cn.onenet.exchange.service.Caller;
import cn.onenet.exchange.service.GrantService;
import cn.onenet.exchange.service.UsageRecordService;
import cn.onenet.exchange.service.UsageRecordService.NewRecord;
import cn.onenet.exchange.service.UsageRecordService.Standing;

/**
 * 使用记录 (条例第二十九条第二款, R16): the consumer department's records of how it uses a grant's data (scenario,
 * processing, storage, outcomes, destruction), kept ≥ 3 years and inspected by the provider and the 主管部门.
 */
@Path("/api/exchange/v1/grants/{id}/usage-records")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "usage-records", description = "使用记录 (usage records per grant, R16)")
public class UsageRecordResource {

    static final String RECORD_EXAMPLE = "{\"id\": 12, \"grantId\": 17, \"kind\": \"STORAGE\", "
            + "\"description\": \"核验结果存入本厅社保待遇资格认证库\", \"location\": \"省政务云 社保专区 PostgreSQL 集群\", "
            + "\"safeguards\": \"SM4 加密存储，访问须经办人员双因素认证，操作留痕\", \"periodFrom\": null, \"periodTo\": null, "
            + "\"outcome\": null, \"method\": null, \"destroyedOn\": null, "
            + "\"recordedBy\": \"8a41d2c7-0b3e-4f9a-a6d5-1c7e2b9f3d08\", \"recordedByName\": \"李明\", "
            + "\"departmentCode\": \"11330000002481020A\", \"automatic\": false, "
            + "\"recordedAt\": \"2026-12-09T03:15:27.114Z\", \"usageLogSeq\": 1043, "
            + "\"digest\": \"5d2f0c3b8e41a7d96c1e0b2f4a8d7c3e9b6f1a0d2c4e8b7a3f5d9c1e0b2a4f6d\", \"intact\": true}";

    static final String STANDING_EXAMPLE = "{\"grantId\": 17, \"outcomeInterval\": \"P1Y\", "
            + "\"outcomeDueAt\": \"2027-12-09T03:15:27.114Z\", \"outcomeOverdue\": false, "
            + "\"lastRecordedAt\": {\"SCENARIO\": \"2026-12-09T03:10:02.501Z\", "
            + "\"STORAGE\": \"2026-12-09T03:15:27.114Z\"}}";

    static final String BAD_RECORD_EXAMPLE = "{\"type\": \"urn:onenet:problem:validation\", "
            + "\"title\": \"请求参数校验失败\", \"status\": 400, \"detail\": \"须写明存储位置 / where the data is kept is required\", "
            + "\"field\": \"location\", \"errors\": [{\"field\": \"location\", "
            + "\"message\": \"须写明存储位置 / where the data is kept is required\"}], "
            + "\"requestId\": \"5a0c7e3b-9d14-4f62-8b1e-2c6f4a9d7e30\"}";

    @Schema(description = "one usage record; OUTCOME: periodFrom and periodTo, the period stated; DESTRUCTION: "
            + "destroyedOn, the day the data was destroyed; intact: it still hashes to its digest and its usage-log "
            + "entry (usageLogSeq, in the hash chain) names it with that digest")
    public record UsageRecordView(@Schema(example = "12") long id, @Schema(example = "17") long grantId,
            @Schema(example = "STORAGE") Kind kind,
            @Schema(example = "核验结果存入本厅社保待遇资格认证库") String description,
            @Schema(description = "STORAGE: where the data is kept", example = "省政务云 社保专区 PostgreSQL 集群")
            String location,
            @Schema(description = "STORAGE: how it is kept safe", example = "SM4 加密存储，访问须经办人员双因素认证")
            String safeguards,
            LocalDate periodFrom, LocalDate periodTo,
            @Schema(description = "OUTCOME: what the use achieved", example = "全年免证办理待遇资格认证 12.6 万人次")
            String outcome,
            @Schema(description = "DESTRUCTION: how the data was destroyed", example = "数据库记录删除并覆写备份")
            String method,
            LocalDate destroyedOn,
            @Schema(description = "token subject of who recorded it", example = "8a41d2c7-0b3e-4f9a-a6d5-1c7e2b9f3d08")
            String recordedBy,
            @Schema(description = "display name of who recorded it, when known", example = "李明") String recordedByName,
            @Schema(description = "the consumer department", example = "11330000002481020A") String departmentCode,
            @Schema(description = "left by the exchange when the consumer confirmed disposal", example = "false")
            boolean automatic,
            Instant recordedAt,
            @Schema(description = "the record's usage-log entry", example = "1043") long usageLogSeq,
            @Schema(description = "SHA-256 of the record's canonical form",
                    example = "5d2f0c3b8e41a7d96c1e0b2f4a8d7c3e9b6f1a0d2c4e8b7a3f5d9c1e0b2a4f6d") String digest,
            @Schema(example = "true") boolean intact) {

        static UsageRecordView of(UsageRecordService.Checked c) {
            UsageRecord r = c.record();
            return new UsageRecordView(r.id, r.grantId, r.kind, r.description, r.location, r.safeguards, r.periodFrom,
                    r.periodTo, r.outcome, r.method, r.destroyedOn, r.recordedBy, r.recordedByName, r.departmentCode,
                    r.automatic, r.recordedAt, r.usageLogSeq, r.digest, c.intact());
        }
    }

    @Schema(description = "where a grant's usage records stand; outcomeDueAt: when the next outcome statement is due "
            + "(ACTIVE grants; null otherwise)")
    public record StandingView(@Schema(example = "17") long grantId,
            @Schema(description = "an outcome statement is due at least this often (ISO 8601)", example = "P1Y")
            String outcomeInterval,
            Instant outcomeDueAt,
            @Schema(description = "ACTIVE and past outcomeDueAt", example = "false") boolean outcomeOverdue,
            @Schema(description = "when the last record of each kind was made (kinds without one are left out)",
                    example = "{\"SCENARIO\": \"2026-12-09T03:10:02.501Z\"}") Map<String, String> lastRecordedAt) {

        static StandingView of(Standing s) {
            Map<String, String> last = new java.util.LinkedHashMap<>();
            s.lastRecordedAt().forEach((kind, at) -> last.put(kind.name(), at.toString()));
            return new StandingView(s.grantId(), s.outcomeInterval().toString(), s.outcomeDueAt(), s.outcomeOverdue(),
                    last);
        }
    }

    private final UsageRecordService records;
    private final GrantService grants;
    private final CurrentCaller caller;
    private final ExchangeConfig config;

    public UsageRecordResource(UsageRecordService records, GrantService grants, CurrentCaller caller,
            ExchangeConfig config) {
        this.records = records;
        this.grants = grants;
        this.caller = caller;
        this.config = config;
    }

    @POST
    @RolesAllowed("operator")
    @Operation(summary = "The consumer department's operators add a usage record to its grant (active, suspended or "
            + "ended); anyone else who can see the grant (its provider) 403, whoever cannot see it (and a grant that "
            + "does not exist) 404.",
            description = "kind SCENARIO 使用场景, PROCESSING 使用过程/加工处理, STORAGE 存储 (location required, "
                    + "safeguards), OUTCOME 应用成效 (periodFrom, periodTo and outcome required), DESTRUCTION 销毁 "
                    + "(method and destroyedOn required, not in the future). description is required, every text at "
                    + "most 4000 characters; a field of another kind is refused. Records are never changed or deleted "
                    + "(kept ≥ 3 years); each is also written to the usage log's hash chain.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = NewRecord.class), examples = {
                    @ExampleObject(name = "storage", value = "{\"kind\": \"STORAGE\", "
                            + "\"description\": \"核验结果存入本厅社保待遇资格认证库\", "
                            + "\"location\": \"省政务云 社保专区 PostgreSQL 集群\", "
                            + "\"safeguards\": \"SM4 加密存储，访问须经办人员双因素认证，操作留痕\"}"),
                    @ExampleObject(name = "outcome", value = "{\"kind\": \"OUTCOME\", "
                            + "\"description\": \"2026 年度应用成效\", \"periodFrom\": \"2026-01-01\", "
                            + "\"periodTo\": \"2026-12-31\", \"outcome\": \"全年免证办理待遇资格认证 12.6 万人次\"}"),
                    @ExampleObject(name = "destruction", value = "{\"kind\": \"DESTRUCTION\", "
                            + "\"description\": \"授权到期，销毁本地留存的核验结果\", \"method\": \"数据库记录删除并覆写备份\", "
                            + "\"destroyedOn\": \"2027-01-05\"}") }))
    @APIResponse(responseCode = "201", description = "the record as kept",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = UsageRecordView.class),
                    examples = @ExampleObject(name = "storage", value = RECORD_EXAMPLE)))
    @APIResponse(responseCode = "400", description = "every bad field, named in errors; nothing is written",
            content = @Content(mediaType = "application/problem+json",
                    examples = @ExampleObject(name = "location", value = BAD_RECORD_EXAMPLE)))
    public Response add(@PathParam("id") long id, NewRecord body) {
        Caller c = caller.get();
        // whoever cannot see the grant learns nothing of it (404, as GET); who sees it but may not add, 403
        UsageRecord r = records.add(c, grants.view(c, id), body);
        return Response.status(Response.Status.CREATED)
                .entity(UsageRecordView.of(new UsageRecordService.Checked(r, true))).build();
    }

    @GET
    @RolesAllowed({ "operator", "reviewer", "admin", "auditor" })
    @Operation(summary = "A grant's usage records, newest first, one page at a time, to whom the grant is shown: the "
            + "consumer's and the provider's departments, the reviewers of its region, admins and auditors (404 for "
            + "anyone who cannot see the grant, 403 for other roles). The X-Total-Count header counts every match.")
    @APIResponse(responseCode = "200", description = "one page of records, newest first",
            headers = @Header(name = GrantResource.TOTAL_COUNT, description = ListPaging.TOTAL_DOC,
                    schema = @Schema(type = SchemaType.INTEGER, example = "1")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = UsageRecordView.class),
                    examples = @ExampleObject(name = "one record", value = "[" + RECORD_EXAMPLE + "]")))
    @APIResponse(responseCode = "400", description = ListPaging.BAD_INPUT,
            content = @Content(mediaType = "application/problem+json", examples = @ExampleObject(name = "size",
                    value = ListPaging.BAD_SIZE_EXAMPLE)))
    public Response list(@PathParam("id") long id,
            @Parameter(description = "only records of this kind (SCENARIO, PROCESSING, STORAGE, OUTCOME, DESTRUCTION)",
                    example = "OUTCOME") @QueryParam("kind") String kind,
            @Parameter(description = ListPaging.PAGE_DOC, example = "0") @QueryParam("page") String page,
            @Parameter(description = ListPaging.SIZE_DOC, example = "50") @QueryParam("size") String size) {
        ListPaging paging = ListPaging.of(page, size, config.maxPageSize());
        ShareGrant g = grants.view(caller.get(), id);
        String k = kind == null || kind.isBlank() ? null : kind.trim();
        List<UsageRecordView> found = records.list(g, k, paging.page(), paging.size()).stream()
                .map(UsageRecordView::of).toList();
        return ListPaging.answer(found, records.count(g, k));
    }

    @GET
    @Path("/summary")
    @RolesAllowed({ "operator", "reviewer", "admin", "auditor" })
    @Operation(summary = "Where a grant's usage records stand, to whom the records are shown: the last record of "
            + "each kind, when the next outcome statement (应用成效) is due and whether it is overdue.")
    @APIResponse(responseCode = "200", description = "the grant's standing",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = StandingView.class),
                    examples = @ExampleObject(name = "standing", value = STANDING_EXAMPLE)))
    public StandingView summary(@PathParam("id") long id) {
        return StandingView.of(records.standing(grants.view(caller.get(), id)));
    }
}
