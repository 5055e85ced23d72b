package cn.onenet.exchange.rest;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.Problem;
import cn.onenet.common.requestid.RequestIds;
import cn.onenet.exchange.config.ExchangeConfig;
import cn.onenet.exchange.service.Fields;
import cn.onenet.exchange.service.Caller;
import cn.onenet.exchange.service.Dates;
import cn.onenet.exchange.service.UsageLogExport;
import cn.onenet.exchange.service.UsageLogScope;
import cn.onenet.exchange.service.UsageLogService;
import cn.onenet.exchange.service.UsageLogService.Audience;
import cn.onenet.exchange.service.UsageLogService.CheckpointPage;
import cn.onenet.exchange.service.UsageLogService.CovertHidings;
import cn.onenet.exchange.service.UsageLogService.Verification;

/** The usage log: inspection (providers, 主管部门), chain verification, checkpoints, evidence bundles. No delete. */
@Path("/api/exchange/v1/usage-log")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "usage-log", description = "使用记录 (usage log)")
public class UsageLogResource {

    private final UsageLogService log;
    private final UsageLogExport export;
    private final CurrentCaller caller;
    private final ExchangeConfig config;

    public UsageLogResource(UsageLogService log, UsageLogExport export, CurrentCaller caller, ExchangeConfig config) {
        this.log = log;
        this.export = export;
        this.caller = caller;
        this.config = config;
    }

    static final String OPERATOR_PAGE = "[{\"seq\": 1043, \"loggedAt\": \"2026-12-04T09:31:12.480Z\", "
            + "\"consumerDepartmentCode\": \"11330000002481060E\", \"resourceCode\": \"101001/000001\", "
            + "\"providerDepartmentCode\": \"11330000002481020A\", \"items\": [\"GMSFHM\", \"XM\"], "
            + "\"purpose\": \"社会保障待遇资格认证\", \"legalBasis\": \"《政务数据共享条例》第十二条\", "
            + "\"operation\": \"LOOKUP\", \"outcome\": \"DELIVERED\", "
            + "\"entryHash\": \"5c1f0e7a9b3d2c4e6f8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e\"}]";

    static final String AUDITOR_PAGE = "[{\"seq\": 1043, \"loggedAt\": \"2026-12-04T09:31:12.480Z\", "
            + "\"requestId\": \"9b1c2d3e-4f50-4a6b-8c7d-0e1f2a3b4c5d\", \"clientId\": \"case-handling-system\", "
            + "\"userSub\": \"3f2b8c1e-6d4a-4f0b-9a7e-2c5d1e8f4a10\", "
            + "\"consumerDepartmentCode\": \"11330000002481060E\", \"grantId\": 17, "
            + "\"purpose\": \"社会保障待遇资格认证\", \"legalBasis\": \"《政务数据共享条例》第十二条\", "
            + "\"resourceCode\": \"101001/000001\", \"providerDepartmentCode\": \"11330000002481020A\", "
            + "\"items\": [\"GMSFHM\", \"XM\"], "
            + "\"subjectHashes\": [\"8d2e4f6a1b3c5d7e9f0a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e2f4a6b8c0d2e\"], "
            + "\"operation\": \"LOOKUP\", \"outcome\": \"DELIVERED\", \"reason\": \"立案侦查 案件号 2026-0417\", "
            + "\"hiddenUntil\": \"2027-03-04\", "
            + "\"hiddenUntilSalt\": \"7e3a9c0b5d1f2e4a6c8b0d2f4e6a8c0b1d3f5e7a9c1b3d5f7e9a0c2b4d6f8e1a\", "
            + "\"hiddenUntilCommitment\": \"c4e1a7b3d9f5020e8a6c4b2d0f9e7a5c3b1d8f6e4a2c0b9d7f5e3a1c8b6d4f2e\", "
            + "\"prevHash\": \"1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b\", \"entryFormat\": 3, "
            + "\"entryHash\": \"5c1f0e7a9b3d2c4e6f8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e\"}]";

    @GET
    @RolesAllowed({ "operator", "reviewer", "admin", "auditor" })
    @Operation(summary = "Entries in sequence order, oldest first (default) or newest first: a provider's operator "
            + "sees its own resources, a reviewer the entries of its region, admins and auditors all.",
            description = "Oldest first (`order=asc`, the default) gives the first `limit` entries after `after`; "
                    + "page forward with `after` = the last seq of the page. Newest first (`order=desc`) gives the "
                    + "latest `limit` entries (below `before` when given); page backwards with `before` = the last "
                    + "(smallest) seq of the page. `after` and `before` are exclusive bounds in either order; `limit` "
                    + "is brought into 1..`exchange.max-page-size` (200). A provider department's operator sees "
                    + "only what it needs to know who used its data for what: seq, loggedAt, consumerDepartmentCode, "
                    + "resourceCode, providerDepartmentCode, items, purpose, legalBasis, operation, outcome and "
                    + "entryHash (the evidence bundle is fetched by seq). A reviewer sees the entries of the grants "
                    + "its grant list shows (the grants of its token's region, whose 主管部门 governs them, and of its "
                    + "own department; entries without a grant count as of the configured 主管部门's region); a "
                    + "reviewer token without region 403. Reviewers and admins see "
                    + "every field but hiddenUntil and hiddenUntilSalt; hiddenUntil (the end of a covert query's "
                    + "hiding) and the salt that opens its hiddenUntilCommitment are for auditors only, like the "
                    + "covert hidings list. reason is the call's 事由 (X-Onenet-Reason), null when none was stated. "
                    + "entryFormat 2 (entries written since the commitment) hashes hiddenUntilCommitment instead of "
                    + "the date; entryFormat 3 is the same with the reason after the outcome (entries with a reason); "
                    + "entryFormat 1 (older entries) hashes the date.")
    @APIResponse(responseCode = "200", description = "one page of entries, in the order asked for",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = Object.class),
                    examples = { @ExampleObject(name = "a provider's operator", value = OPERATOR_PAGE),
                            @ExampleObject(name = "an auditor of the 主管部门", value = AUDITOR_PAGE) }))
    @APIResponse(responseCode = "400", description = "a bad order, after, before, limit or exactResourceCode, named in "
            + "field",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "bad order",
                    value = "{\"type\": \"urn:onenet:problem:validation\", \"title\": \"请求参数校验失败\", "
                            + "\"status\": 400, \"detail\": \"排列顺序须为 asc 或 desc / the order must be asc or "
                            + "desc\", \"field\": \"order\", \"errors\": [{\"field\": \"order\", "
                            + "\"message\": \"排列顺序须为 asc 或 desc / the order must be asc or desc\"}], "
                            + "\"requestId\": \"2f6d1c3a-8b4e-4f71-9a02-5e7c3b1d9f84\"}")))
    public List<Map<String, Object>> list(
            @Parameter(description = "`asc` (default): oldest first; `desc`: newest first", example = "desc")
            @QueryParam("order") String order,
            @Parameter(description = "only entries with a greater seq (≥ 0, default 0)", example = "1000")
            @QueryParam("after") String after,
            @Parameter(description = "only entries with a smaller seq (≥ 1; with order=desc, the smallest seq of "
                    + "the previous page)", example = "1044") @QueryParam("before") String before,
            @Parameter(description = "entries per page (default 100): 1 to exchange.max-page-size (200), else 400 naming limit", example = "50")
            @QueryParam("limit") String limit,
            @Parameter(description = "only this resource's entries, under every code it has had: entries keep the "
                    + "code they were logged with, so after a reclassification (目录重新分类) the old and the new code "
                    + "find the same entries", example = "101001/000001")
            @QueryParam("resourceCode") String resourceCode,
            @Parameter(description = "`true`: only entries logged under resourceCode itself (default `false`)",
                    example = "true") @QueryParam("exactResourceCode") Boolean exactResourceCode) {
        boolean exact = Boolean.TRUE.equals(exactResourceCode);
        boolean newestFirst = either(Fields.ORDER, order, "asc", "desc");
        long first = number(Fields.LOG_AFTER, after, 0, 0);
        Long last = before == null || before.isBlank() ? null : number(Fields.LOG_BEFORE, before, 1, 0);
        if (last != null && last - first < 2) {
            throw ApiException.field("before",
                    Fields.LOG_AFTER.zh() + "与" + Fields.LOG_BEFORE.zh() + "之间没有记录序号 / no sequence number lies "
                            + "between " + Fields.LOG_AFTER.en() + " and " + Fields.LOG_BEFORE.en());
        }
        // out of range is refused like a list's size: a page silently cut down reads as the end of the log
        long size = number(Fields.LIMIT, limit, Long.MIN_VALUE, 100);
        if (size < 1 || size > config.maxPageSize()) {
            throw Fields.LIMIT.error(Fields.LIMIT.wholeNumber(1, config.maxPageSize()));
        }
        Caller c = caller.get();
        String provider = c.isAuthority() ? null : c.departmentOrFail();
        String code = resourceCode == null || resourceCode.isBlank() ? null : resourceCode.trim();
        return log.list(provider, UsageLogScope.of(c, config.competentAuthorityDepartment()), code, exact, first, last,
                newestFirst, (int) size, audience(c));
    }

    /** Which fields of an entry the caller sees, in the list and in evidence bundles alike. */
    private static Audience audience(Caller c) {
        return c.has("auditor") ? Audience.AUDITOR : c.isAuthority() ? Audience.AUTHORITY : Audience.PROVIDER;
    }

    /** {@code no} (also when blank) gives false, {@code yes} true, anything else 400 naming the field. */
    private static boolean either(Fields.Field field, String value, String no, String yes) {
        if (value == null || value.isBlank() || value.trim().equalsIgnoreCase(no)) {
            return false;
        }
        if (value.trim().equalsIgnoreCase(yes)) {
            return true;
        }
        throw field.error(field.mustBe(no + " 或 " + yes, no + " or " + yes));
    }

    /** A whole number of at least {@code min}; blank gives {@code absent}. */
    static long number(Fields.Field field, String value, long min, long absent) {
        if (value == null || value.isBlank()) {
            return absent;
        }
        try {
            long n = Long.parseLong(value.trim());
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw field.error(field.wholeNumber(min, Long.MAX_VALUE));
    }

    @GET
    @Path("/verify")
    // the whole chain, every region's entries: auditors and the platform's admins, not reviewers (region-scoped)
    @RolesAllowed({ "admin", "auditor" })
    @Operation(summary = "Checks the whole hash chain: every edited, deleted or reordered row is reported (the first "
            + "100 in brokenEntries; firstBadSeq and problem name the first). Auditors and admins; reviewers, who "
            + "read their region's entries only, 403.")
    @APIResponse(responseCode = "200", description = "the result; when not valid, every entry that does not fit",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = Verification.class),
                    examples = {
                            @ExampleObject(name = "intact", value = "{\"valid\": true, \"checked\": 1043, "
                                    + "\"lastSeq\": 1043, \"firstBadSeq\": null, \"problem\": null, "
                                    + "\"checkpointsChecked\": 6, \"brokenEntries\": [], \"brokenCount\": 0, "
                                    + "\"brokenCapped\": false}"),
                            @ExampleObject(name = "two entries edited, one deleted", value = "{\"valid\": false, "
                                    + "\"checked\": 1042, \"lastSeq\": 1043, \"firstBadSeq\": 517, "
                                    + "\"problem\": \"记录内容被修改 / entry content was changed\", "
                                    + "\"checkpointsChecked\": 6, \"brokenEntries\": [{\"seq\": 517, "
                                    + "\"problem\": \"记录内容被修改 / entry content was changed\"}, {\"seq\": 880, "
                                    + "\"problem\": \"缺少记录 / missing entry 880\"}, {\"seq\": 1002, "
                                    + "\"problem\": \"记录内容被修改 / entry content was changed\"}], "
                                    + "\"brokenCount\": 3, \"brokenCapped\": false}") }))
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
                            + "\"resourceCode\": \"101001/000001\", \"grantId\": 17, "
                            + "\"requestId\": \"9b1c2d3e-4f50-4a6b-8c7d-0e1f2a3b4c5d\"}]}")))
    public CovertHidings covertHidings(@QueryParam("department") String department, @QueryParam("from") String from,
            @QueryParam("to") String to,
            @Parameter(description = ListPaging.PAGE_DOC, example = "0") @QueryParam("page") String page,
            @Parameter(description = ListPaging.SIZE_DOC, example = "50") @QueryParam("size") String size) {
        // a page or size out of range is refused as in every other list, not brought into range
        ListPaging paging = ListPaging.of(page, size, config.maxPageSize());
        LocalDate first = day("from", from);
        LocalDate last = day("to", to);
        if (first != null && last != null && last.isBefore(first)) {
            throw ApiException.field("to", "截止日不能早于起始日 / must not precede from");
        }
        return log.covertHidings(department == null || department.isBlank() ? null : department.trim(), first, last,
                paging.page(), paging.size());
    }

    private static LocalDate day(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            LocalDate day = LocalDate.parse(value.trim());
            if (Dates.sane(day)) {
                return day;
            }
            throw ApiException.field(field, Dates.OUT_OF_RANGE);
        } catch (DateTimeParseException e) {
            // answered below
        }
        throw ApiException.field(field, "日期格式应为 yyyy-MM-dd / a date yyyy-MM-dd is expected");
    }

    static final String CHECKPOINT_EXAMPLE = "{\"id\": 212, \"lastSeq\": 1043, "
            + "\"lastHash\": \"5c1f0e7a9b3d2c4e6f8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e\", "
            + "\"entryCount\": 1043, \"createdAt\": \"2026-12-04T09:35:00.123456Z\", "
            + "\"kid\": \"113300000024810109-mwrn2xvk\", \"payloadFormat\": 2, "
            + "\"checkpointPayload\": \"{\\\"format\\\":2,\\\"department\\\":\\\"113300000024810109\\\","
            + "\\\"kid\\\":\\\"113300000024810109-mwrn2xvk\\\",\\\"lastSeq\\\":1043,\\\"lastHash\\\":"
            + "\\\"5c1f0e7a9b3d2c4e6f8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e\\\",\\\"entryCount\\\":1043,"
            + "\\\"createdAt\\\":\\\"2026-12-04T09:35:00.123456Z\\\"}\", "
            + "\"signature\": \"eyJraWQiOiIxMTMzMDAwMDAwMjQ4MTAxMDktbXdybjJ4dmsiLCJkZXB0IjoiMTEzMzAwMDAwMDI0ODEwMTA5IiwiYWxnIjoiRWREU0EifQ"
            + "..q3Zf0Yc2b8Xm1T4rN7wKpL9dA6sE5hJ0uV3iO2yB8cG1fR4tW7zQ9kM6nD3aS5xC0vB2eH8jU1lP4oI7gTk9Bw\"}";

    @GET
    @Path("/checkpoints")
    // the whole log's heads, like the chain check: auditors and admins
    @RolesAllowed({ "admin", "auditor" })
    @Operation(summary = "Signed checkpoints, newest first, each with the exact payload its detached JWS signature "
            + "covers (payloadFormat 2: lastSeq, lastHash, entryCount, createdAt, kid and the 主管部门; payloadFormat 1, "
            + "written before, signs lastSeq and lastHash only), and witnessAcknowledgements: how many witnesses "
            + "(/usage-log/witnesses) acknowledged it. Auditors and admins; others 403.")
    @APIResponse(responseCode = "200", description = "one page of checkpoints and how many there are",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = CheckpointPage.class),
                    examples = @ExampleObject(name = "a page", value = "{\"page\": 0, \"size\": 50, \"total\": 212, "
                            + "\"checkpoints\": [" + CHECKPOINT_EXAMPLE + "]}")))
    @APIResponse(responseCode = "400", description = "page or size not a whole number in range, named in field",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public CheckpointPage checkpoints(
            @Parameter(description = "page from 0", example = "0") @QueryParam("page") String page,
            @Parameter(description = "checkpoints per page, 1..200 (default 50)", example = "50")
            @QueryParam("size") String size) {
        long p = number(Fields.PAGE, page, 0, 0);
        long n = number(Fields.SIZE, size, 1, 50);
        if (n > config.maxPageSize()) {
            throw Fields.SIZE.error(Fields.SIZE.wholeNumber(1, config.maxPageSize()));
        }
        if (p > Integer.MAX_VALUE / n) {
            throw Fields.PAGE.error(Fields.PAGE.tooLarge());
        }
        return log.checkpoints((int) p, (int) n);
    }

    @GET
    @Path("/checkpoint-keys")
    @PermitAll
    @Operation(summary = "The public keys that sign usage-log checkpoints (the 主管部门's seals, active and retired), as "
            + "a JWKS. Public: an outside auditor pins this file once and checks exports with it alone.")
    @APIResponse(responseCode = "200", description = "JWKS",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "one Ed25519 key",
                    value = "{\"keys\": [{\"kty\": \"OKP\", \"use\": \"sig\", \"crv\": \"Ed25519\", "
                            + "\"kid\": \"113300000024810109-mwrn2xvk\", "
                            + "\"x\": \"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\", \"alg\": \"EdDSA\"}]}")))
    public Map<String, Object> checkpointKeys() {
        return log.checkpointKeys();
    }

    static final String EXPORT_EXAMPLE = "{\"type\":\"header\",\"format\":\"" + UsageLogExport.FORMAT + "\","
            + "\"from\":\"2026-12-01\",\"to\":\"2026-12-04\",\"zone\":\"Asia/Shanghai\",\"periodFirstSeq\":1001,"
            + "\"periodLastSeq\":1040,\"anchorSeq\":1000,\"lastSeq\":1043,\"entries\":43,"
            + "\"plannedAt\":\"2026-12-05T01:59:59.871Z\",\"exportedAt\":\"2026-12-05T02:00:00Z\","
            + "\"exportUsageLogSeq\":1050,\"howToVerify\":\"...\"}\n"
            + "{\"type\":\"checkpoint\",\"id\":212,\"lastSeq\":1043,\"lastHash\":\"5c1f...0d1e\","
            + "\"createdAt\":\"2026-12-04T09:35:00.123456Z\",\"kid\":\"113300000024810109-mwrn2xvk\","
            + "\"payloadFormat\":2,\"payload\":\"{...}\",\"signature\":\"eyJ...Bw\"}\n"
            + "{\"type\":\"anchor\",\"seq\":1000,\"entryHash\":\"1a2b...1a2b\"}\n"
            + "{\"type\":\"entry\",\"seq\":1001,\"loggedAt\":\"2026-12-01T01:02:03.456789Z\",\"entryFormat\":2,"
            + "\"entryHash\":\"9f0e...77aa\",\"canonical\":\"[1001,\\\"2026-12-01T01:02:03.456789Z\\\",...]\"}\n"
            + "{\"type\":\"end\",\"entries\":43,\"lastSeq\":1043,\"lastHash\":\"5c1f...0d1e\"}\n"
            + "{\"type\":\"seal\",\"payload\":\"{\\\"format\\\":\\\"" + UsageLogExport.SEAL_FORMAT + "\\\",...,"
            + "\\\"lines\\\":47,\\\"sha256\\\":\\\"3e7a...91c0\\\",...}\",\"signature\":\"eyJ...Aw\"}";

    @GET
    @Path("/export")
    @Produces(UsageLogExport.MEDIA_TYPE)
    // every region's entries, like the chain check and the bundles: auditors and admins
    @RolesAllowed({ "admin", "auditor" })
    @Operation(summary = "A period of the usage log for an outside auditor, as NDJSON (streamed): the signed "
            + "checkpoints, the link to the entry before the period, every entry's canonical string and hash, an end "
            + "line and a closing seal. Check it with usage-log-verifier and the JWKS of /usage-log/checkpoint-keys.",
            description = "The entries logged on the days from..to (yyyy-MM-dd, China Standard Time, both included), "
                    + "by sequence number from the first to the last of them, and on to the first signed checkpoint "
                    + "at or after the last, so every exported entry is covered by a seal. No checkpoint covers the "
                    + "period's last entry yet → 409 (sign one with POST /usage-log/checkpoints). Admins get, for an "
                    + "entry of entryFormat 1 hiding a covert query's date, redactedCanonical instead of canonical "
                    + "(its link is checked, its content not); auditors get every canonical string. The export is "
                    + "itself logged before the first byte leaves (operation USAGE_LOG_EXPORT: who, which period, "
                    + "which entries); X-Usage-Log-Seq names that entry. A period without entries gives the header, "
                    + "an anchor at 0 and an end line counting 0. The last line (type seal) is a detached JWS by the "
                    + "主管部门's checkpoint key over a payload repeating the header's period, sequence numbers, count, "
                    + "plannedAt, exportedAt and exportUsageLogSeq, and stating the last entry's hash, the number of "
                    + "lines before the seal and their SHA-256 (hashed as they stream out): a file cut short, or with "
                    + "its header changed, no longer fits it.")
    @APIResponse(responseCode = "200", description = "NDJSON lines: header, checkpoint…, anchor, entry…, end, seal",
            content = @Content(mediaType = UsageLogExport.MEDIA_TYPE,
                    examples = @ExampleObject(name = "a short period", value = EXPORT_EXAMPLE)))
    @APIResponse(responseCode = "400", description = "from or to missing, not yyyy-MM-dd, out of range, or to before "
            + "from, named in field",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "to before from",
                    value = "{\"type\": \"urn:onenet:problem:validation\", \"title\": \"请求参数校验失败\", "
                            + "\"status\": 400, \"detail\": \"截止日不能早于起始日 / must not precede from\", "
                            + "\"field\": \"to\", \"errors\": [{\"field\": \"to\", "
                            + "\"message\": \"截止日不能早于起始日 / must not precede from\"}], "
                            + "\"requestId\": \"2f6d1c3a-8b4e-4f71-9a02-5e7c3b1d9f84\"}")))
    @APIResponse(responseCode = "409", description = "no signed checkpoint covers the period's last entry yet",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Response exportPeriod(
            @Parameter(description = "first day, yyyy-MM-dd (required)", example = "2026-12-01")
            @QueryParam("from") String from,
            @Parameter(description = "last day, yyyy-MM-dd, included (required)", example = "2026-12-04")
            @QueryParam("to") String to) {
        LocalDate first = requiredDay(Fields.FROM, from);
        LocalDate last = requiredDay(Fields.TO, to);
        if (last.isBefore(first)) {
            throw ApiException.field("to", "截止日不能早于起始日 / must not precede from");
        }
        Caller c = caller.get();
        UsageLogExport.Plan plan = export.plan(first, last);
        long seq = export.record(c, RequestIds.current(), plan);
        Audience audience = audience(c);
        StreamingOutput body = out -> export.write(plan, audience, seq, out);
        return Response.ok(body, UsageLogExport.MEDIA_TYPE).header("X-Usage-Log-Seq", seq)
                .header("Content-Disposition", "attachment; filename=\"usage-log-" + first + "_" + last + ".ndjson\"")
                .build();
    }

    private static LocalDate requiredDay(Fields.Field field, String value) {
        LocalDate day = day(field.name(), value);
        if (day == null) {
            throw field.error(field.required("格式 yyyy-MM-dd", "as yyyy-MM-dd"));
        }
        return day;
    }

    @POST
    @Path("/checkpoints")
    @RolesAllowed({ "reviewer", "admin", "auditor" })
    @Operation(summary = "Signs the current chain head with the 主管部门's seal (the same is done on a schedule, "
            + "every exchange.checkpoint-interval, 5 minutes by default); the head already signed answers its "
            + "checkpoint again.")
    @APIResponse(responseCode = "200", description = "the checkpoint of the current head",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    examples = @ExampleObject(name = "signed", value = CHECKPOINT_EXAMPLE)))
    public Map<String, Object> checkpoint() {
        return log.checkpoint();
    }

    @GET
    @Path("/{seq}/evidence")
    // Auditors and admins only: the bundle carries the chained entries up to the checkpoint, other departments' and
    // other regions' uses included, so it cannot be cut to a department or to a reviewer's region.
    @RolesAllowed({ "admin", "auditor" })
    @Operation(summary = "Evidence bundle for one entry, verifiable offline (entry, chain to a signed checkpoint, JWKS). "
            + "For auditors and admins: each chained entry shows the fields the caller's usage-log list shows. "
            + "Reviewers, who read only their region's entries, 403 (the chain holds every region's).",
            description = "Admins do not see hiddenUntil (the end of a covert query's hiding) nor "
                    + "hiddenUntilSalt. An entry of entryFormat 2 hashes only hiddenUntilCommitment = "
                    + "hex(HMAC-SHA256(key = salt, message = hiddenUntil as yyyy-MM-dd)), so every reader gets its "
                    + "canonical string and recomputes the hash; auditors also get hiddenUntil and hiddenUntilSalt "
                    + "to open the commitment. entryFormat 3 is the same with the call's reason (X-Onenet-Reason) "
                    + "right after the outcome. An older covert entry (entryFormat 1, the date hashed in clear) "
                    + "carries for reviewers and admins redactedCanonical (hiddenUntil reads \"[redacted]\") instead "
                    + "of canonical, and the bundle's redaction (payload and detached JWS signature, the 主管部门's "
                    + "seal) vouches that its entryHash is the hash of that entry; auditors get every canonical "
                    + "string. "
                    + "Only reads: the chain ends at the latest signed checkpoint that covers the entry. While "
                    + "none does (an entry newer than the last checkpoint), 409 naming the entry (field seq): the "
                    + "主管部门 signs one with POST /usage-log/checkpoints, or waits for the scheduled one.")
    @APIResponse(responseCode = "200", description = "the bundle",
            content = @Content(mediaType = MediaType.APPLICATION_JSON))
    @APIResponse(responseCode = "404", description = "no such entry", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "409", description = "no signed checkpoint covers the entry yet",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "not yet signed",
                    value = "{\"type\": \"urn:onenet:problem:conflict\", \"title\": \"资源状态冲突\", \"status\": 409, "
                            + "\"detail\": \"" + NOT_COVERED + "\", \"field\": \"seq\", \"errors\": [{\"field\": \"seq\", "
                            + "\"message\": \"" + NOT_COVERED + "\"}], \"requestId\": \"0b6e3f9a-7c21-4d58-9e34-a1f5c7d2b860\", "
                            + "\"seq\": 1044, \"latestCheckpointSeq\": 1043, "
                            + "\"signCheckpoint\": \"POST /api/exchange/v1/usage-log/checkpoints\", "
                            + "\"checkpointIntervalSeconds\": 300}")))
    public Map<String, Object> evidence(@PathParam("seq") long seq) {
        return log.evidence(seq, audience(caller.get()));
    }

    private static final String NOT_COVERED = "尚无已签名的检查点覆盖第 1044 号记录（最新检查点至第 1043 号）。主管部门（审核员、"
            + "管理员、审计员）可签署检查点：POST /api/exchange/v1/usage-log/checkpoints；系统也每 5 分钟自动签署一次。 / No "
            + "signed checkpoint covers usage-log entry 1044 yet (the latest ends at entry 1043): the 主管部门 (reviewer, "
            + "admin, auditor) can sign one with POST /api/exchange/v1/usage-log/checkpoints; one is also signed on a "
            + "schedule, every 5 minutes.";
}
