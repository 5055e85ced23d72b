package cn.onenet.exchange.rest;

import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
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
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.Problem;
import cn.onenet.exchange.config.ExchangeConfig;
import cn.onenet.exchange.service.Fields;
import cn.onenet.exchange.service.AccessNames;
import cn.onenet.exchange.service.SubjectHasher;
import cn.onenet.exchange.service.UsageLogService;
import cn.onenet.exchange.service.UsageLogService.SubjectPage;

/** 我的数据使用记录: a citizen (cn_id) or an enterprise (uscc) sees every access to data about them. */
@Path("/api/exchange/v1/me/data-accesses")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "citizens", description = "数据使用记录查询 (citizens' view)")
public class CitizenResource {

    private final UsageLogService log;
    private final SubjectHasher hasher;
    private final CurrentCaller caller;
    private final ExchangeConfig config;

    public CitizenResource(UsageLogService log, SubjectHasher hasher, CurrentCaller caller, ExchangeConfig config) {
        this.log = log;
        this.hasher = hasher;
        this.caller = caller;
        this.config = config;
    }

    static final int DEFAULT_SIZE = 50;

    /** The answer below the real-name level these views need (RealNameLevel). */
    static final String LEVEL_NEEDED = "the caller's real-name level (token acr; for an agent acting for an enterprise, "
            + "the agent's own) is below exchange.citizens-view.min-acr (L3 by default): requiredAcr names the level "
            + "needed, acr the token's";

    static final String LEVEL_NEEDED_EXAMPLE = "{\"type\": \"urn:onenet:problem:forbidden\", \"title\": \"无权执行此操作\", "
            + "\"status\": 403, \"detail\": \"查看数据使用记录和投诉须实名认证等级 L3 及以上（当前 L2）：可到政务服务大厅线下核验身份，"
            + "或完成刷脸认证后重新登录 / who used your data and complaints need real-name level L3 or higher (this "
            + "sign-in is L2): verify your identity in person at a service centre, or by face recognition, then sign "
            + "in again\", \"instance\": \"/api/exchange/v1/me/data-accesses\", "
            + "\"requestId\": \"5e0c2a9b-7d41-4f3e-b6a8-1c9d0e2f4a7b\", \"requiredAcr\": \"urn:onenet:loa:3\", "
            + "\"acr\": \"urn:onenet:loa:2\"}";

    /** One access as a citizen reads it: who, what (with the items' names), why. */
    static final String PAGE_EXAMPLE = "[{\"seq\": 1043, \"loggedAt\": \"2026-12-04T09:31:12.480Z\", "
            + "\"requestId\": \"9b1c2d3e-4f50-4a6b-8c7d-0e1f2a3b4c5d\", "
            + "\"consumerDepartmentCode\": \"11330000002481060E\", \"grantId\": 17, "
            + "\"purpose\": \"社会保障待遇资格认证\", \"legalBasis\": \"《政务数据共享条例》第十二条\", "
            + "\"resourceCode\": \"101001/000001\", \"currentResourceCode\": \"101001/000001\", "
            + "\"resourceName\": \"居民户籍信息\", \"providerDepartmentCode\": \"11330000002481020A\", "
            + "\"items\": [\"GMSFHM\", \"XM\"], \"itemNames\": {\"GMSFHM\": \"公民身份号码\", \"XM\": \"姓名\"}, "
            + "\"operation\": \"LOOKUP\", \"outcome\": \"DELIVERED\", \"reason\": null, "
            + "\"entryHash\": \"5c1f0e7a9b3d2c4e6f8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e\"}]";

    @GET
    @RolesAllowed({ "citizen", "enterprise" })
    @Operation(summary = "When, which department, which resource and items, purpose and legal basis; newest first, "
            + "one page at a time; for callers at real-name level L3 or higher (exchange.citizens-view.min-acr). "
            + "Covert queries appear once their hiding date has passed (until then they are neither listed nor "
            + "counted). resourceCode is the code the access was logged under; "
            + "currentResourceCode the one the entry carries now (they differ after a reclassification); items are the "
            + "item codes the access delivered, itemNames their names in the catalogue (code → name; an item the "
            + "entry no longer lists has none).")
    @APIResponse(responseCode = "200", description = "one page of accesses, newest first",
            headers = @Header(name = GrantResource.TOTAL_COUNT, description = "how many accesses the caller may see, "
                    + "on all pages", schema = @Schema(type = SchemaType.INTEGER)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = Object.class),
                    examples = @ExampleObject(name = "accesses", value = PAGE_EXAMPLE)))
    @APIResponse(responseCode = "400", description = "a bad page or size, named in field",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "403", description = LEVEL_NEEDED, content = @Content(mediaType = Problem.MEDIA_TYPE,
            examples = @ExampleObject(name = "level needed", value = LEVEL_NEEDED_EXAMPLE)))
    public Response mine(
            @Parameter(description = "page number from 0 (default 0)", example = "0") @QueryParam("page") String page,
            @Parameter(description = "accesses per page, 1..exchange.max-page-size (200; default 50)", example = "50")
            @QueryParam("size") String size) {
        String subject = caller.dataSubject().dataSubject();
        long p = UsageLogResource.number(Fields.PAGE, page, 0, 0);
        long n = UsageLogResource.number(Fields.SIZE, size, 1, DEFAULT_SIZE);
        if (n > config.maxPageSize()) {
            throw Fields.SIZE.error(Fields.SIZE.wholeNumber(1, config.maxPageSize()));
        }
        if (p > Integer.MAX_VALUE) {
            throw Fields.PAGE.error(Fields.PAGE.tooLarge());
        }
        if (subject == null) {
            throw ApiException.forbidden("令牌中没有身份证号或信用代码 / the token carries no cn_id or uscc");
        }
        SubjectPage found = log.forSubject(hasher.hash(subject), (int) p, (int) n);
        List<Map<String, Object>> rows = found.rows();
        AccessNames.describe(rows);
        return Response.ok(rows).header(GrantResource.TOTAL_COUNT, found.total()).build();
    }
}
