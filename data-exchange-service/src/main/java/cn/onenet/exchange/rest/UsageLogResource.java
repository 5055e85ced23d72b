package cn.onenet.exchange.rest;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import cn.onenet.common.problem.ApiException;
import cn.onenet.exchange.config.ExchangeConfig;
import cn.onenet.exchange.service.Caller;
import cn.onenet.exchange.service.UsageLogService;
import cn.onenet.exchange.service.UsageLogService.CovertHidings;
import cn.onenet.exchange.service.UsageLogService.Verification;

/** The usage log: inspection (providers, 主管部门), chain verification, checkpoints, evidence bundles. No delete. */
@Path("/api/exchange/v1/usage-log")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "usage-log", description = "使用记录 (usage log)")
public class UsageLogResource {

    private final UsageLogService log;
    private final CurrentCaller caller;
    private final ExchangeConfig config;

    public UsageLogResource(UsageLogService log, CurrentCaller caller, ExchangeConfig config) {
        this.log = log;
        this.caller = caller;
        this.config = config;
    }

    @GET
    @RolesAllowed({ "operator", "reviewer", "admin", "auditor" })
    @Operation(summary = "Entries after a sequence number: a provider's operator sees its own resources, the 主管部门 all.")
    public List<Map<String, Object>> list(@QueryParam("after") @DefaultValue("0") long after,
            @QueryParam("limit") @DefaultValue("100") int limit, @QueryParam("resourceCode") String resourceCode) {
        Caller c = caller.get();
        String provider = c.isAuthority() ? null : c.departmentOrFail();
        return log.list(provider, resourceCode, after, Math.max(1, Math.min(limit, config.maxPageSize())));
    }

    @GET
    @Path("/verify")
    @RolesAllowed({ "reviewer", "admin", "auditor" })
    @Operation(summary = "Checks the whole hash chain: any edited, deleted or reordered row is reported.")
    @APIResponse(responseCode = "200", description = "the result; when not valid, the first entry that does not fit",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = Verification.class),
                    examples = {
                            @ExampleObject(name = "intact", value = "{\"valid\": true, \"checked\": 1043, "
                                    + "\"lastSeq\": 1043, \"firstBadSeq\": null, \"problem\": null, "
                                    + "\"checkpointsChecked\": 6}"),
                            @ExampleObject(name = "edited", value = "{\"valid\": false, \"checked\": 517, "
                                    + "\"lastSeq\": 517, \"firstBadSeq\": 517, "
                                    + "\"problem\": \"记录内容被修改 / entry content was changed\", "
                                    + "\"checkpointsChecked\": 0}") }))
    public Verification verify() {
        return log.verify();
    }

    @GET
    @Path("/covert-hidings")
    @RolesAllowed("auditor")
    @Operation(summary = "Covert queries hidden from the citizens' view (auditors of the 主管部门 only): who asked "
            + "(department, client, user), when, until when, on which legal basis, and the usage-log entry; newest "
            + "first, by department and by the days the hiding was recorded (from, to: yyyy-MM-dd, both included).")
    @APIResponse(responseCode = "200", description = "one page of hidings and how many match",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = CovertHidings.class),
                    examples = @ExampleObject(name = "one hiding", value = "{\"page\": 0, \"size\": 50, "
                            + "\"total\": 1, \"hidings\": [{\"usageLogSeq\": 1043, "
                            + "\"hiddenAt\": \"2026-12-04T09:31:12.48Z\", \"hiddenUntil\": \"2027-03-04\", "
                            + "\"legalBasis\": \"《刑事诉讼法》第一百五十条\", "
                            + "\"departmentCode\": \"11330000002481060E\", \"clientId\": \"case-handling-system\", "
                            + "\"userSub\": \"3f2b8c1e-6d4a-4f0b-9a7e-2c5d1e8f4a10\", "
                            + "\"resourceCode\": \"330000-01-02/000123\", \"grantId\": 17, "
                            + "\"requestId\": \"9b1c2d3e-4f50-4a6b-8c7d-0e1f2a3b4c5d\"}]}")))
    public CovertHidings covertHidings(@QueryParam("department") String department, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") @DefaultValue("50") int size) {
        LocalDate first = day("from", from);
        LocalDate last = day("to", to);
        if (first != null && last != null && last.isBefore(first)) {
            throw ApiException.field("to", "截止日不能早于起始日 / must not precede from");
        }
        return log.covertHidings(department == null || department.isBlank() ? null : department.trim(), first, last,
                Math.max(0, page), Math.max(1, Math.min(size, config.maxPageSize())));
    }

    private static LocalDate day(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            LocalDate day = LocalDate.parse(value.trim());
            if (day.getYear() >= 1 && day.getYear() <= 9999) {
                return day;
            }
        } catch (DateTimeParseException e) {
            // answered below
        }
        throw ApiException.field(field, "日期格式应为 yyyy-MM-dd / a date yyyy-MM-dd is expected");
    }

    @POST
    @Path("/checkpoints")
    @RolesAllowed({ "reviewer", "admin", "auditor" })
    @Operation(summary = "Signs the current chain head (also done on a schedule).")
    public Map<String, Object> checkpoint() {
        return log.checkpoint();
    }

    @GET
    @Path("/{seq}/evidence")
    @RolesAllowed({ "operator", "reviewer", "admin", "auditor" })
    @Operation(summary = "Evidence bundle for one entry, verifiable offline (entry, chain to a signed checkpoint, JWKS).")
    public Map<String, Object> evidence(@PathParam("seq") long seq) {
        Map<String, Object> bundle = log.evidence(seq);
        Caller c = caller.get();
        @SuppressWarnings("unchecked")
        Map<String, Object> entry = (Map<String, Object>) bundle.get("entry");
        if (!c.isAuthority() && entry != null && !c.departmentOrFail().equals(entry.get("providerDepartmentCode"))
                && !c.departmentOrFail().equals(entry.get("consumerDepartmentCode"))) {
            throw ApiException.notFound("没有该使用记录 / no usage-log entry " + seq);
        }
        return bundle;
    }
}
