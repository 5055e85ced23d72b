package cn.onenet.exchange.rest;

import java.time.Instant;
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

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.Problem;
import cn.onenet.exchange.model.Notice;
import cn.onenet.exchange.service.Commands.ReadUpTo;
import cn.onenet.exchange.service.NoticeService;
import cn.onenet.exchange.service.NoticeService.Inbox;

/**
 * A citizen's or an enterprise's own notices: each change of its correction requests (个人信息更正补充, PIPL 第四十六条)
 * and complaints (投诉, R21), addressed to its cn_id or uscc (as a keyed hash, like the requests), read with the
 * token's; read state is each account's own. Another person's notices are not found.
 */
@Path("/api/exchange/v1/me/notices")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "notices", description = "通知 (notices)")
public class MyNoticeResource {

    static final String LIST_EXAMPLE = "[{\"id\": 204, \"kind\": \"CORRECTION_ANSWERED\", \"subjectType\": "
            + "\"CORRECTION\", \"subjectId\": 5, \"message\": \"您的个人信息更正补充申请（居民户籍信息，数据项 HJDZ），"
            + "数源部门已答复：已更正。理由：经核对户籍档案，门牌号录入有误，已更正为 98 号\", "
            + "\"createdAt\": \"2026-12-09T02:10:00Z\", \"read\": false}, {\"id\": 187, \"kind\": "
            + "\"COMPLAINT_OVERDUE\", \"subjectType\": \"COMPLAINT\", \"subjectId\": 7, \"message\": \"您对数据使用记录 "
            + "1043 的投诉：使用部门未在期限 2026-12-21 前作出说明，已提请主管部门督办\", "
            + "\"createdAt\": \"2026-12-22T00:20:00Z\", \"read\": true}]";

    static final String NOT_FOUND_EXAMPLE = "{\"type\": \"urn:onenet:problem:not-found\", \"title\": \"资源不存在\", "
            + "\"status\": 404, \"detail\": \"没有该通知 / no notice 204 for you\", "
            + "\"requestId\": \"3b9e6d1f-7a42-4c85-9e03-5f1d8b2a6c47\"}";

    @Schema(description = "a notice to the caller about one of its own correction requests or complaints")
    public record MyNoticeView(@Schema(example = "204") long id,
            @Schema(description = "CORRECTION_ANSWERED 更正申请已答复, CORRECTION_OVERDUE 逾期未答复已报主管部门督办; "
                    + "COMPLAINT_ANSWERED 使用部门已说明, COMPLAINT_OVERDUE 逾期未说明已报主管部门督办, COMPLAINT_UPHELD "
                    + "投诉成立, COMPLAINT_DISMISSED 投诉不成立", example = "CORRECTION_ANSWERED",
                    enumeration = { "CORRECTION_ANSWERED", "CORRECTION_OVERDUE", "COMPLAINT_ANSWERED",
                            "COMPLAINT_OVERDUE", "COMPLAINT_UPHELD", "COMPLAINT_DISMISSED" }) String kind,
            @Schema(description = "CORRECTION (GET /me/corrections/{id}) or COMPLAINT (GET /complaints/{id})",
                    example = "CORRECTION", enumeration = { "CORRECTION", "COMPLAINT" }) String subjectType,
            @Schema(description = "the request's or complaint's id", example = "5") long subjectId,
            @Schema(description = "what changed, in Chinese: the outcome with the department's or the 主管部门's "
                    + "reasons; no civil servant is named", example = "您的个人信息更正补充申请（居民户籍信息，数据项 "
                    + "HJDZ），数源部门已答复：已更正。理由：经核对户籍档案，门牌号录入有误，已更正为 98 号")
            String message,
            Instant createdAt,
            @Schema(description = "whether the caller (this account) has marked the notice read", example = "false")
            boolean read) {

        static MyNoticeView of(NoticeService.Seen seen) {
            Notice n = seen.notice();
            return new MyNoticeView(n.id, n.kind, n.subjectType, n.subjectId, n.message, n.createdAt, seen.read());
        }
    }

    private final NoticeService notices;
    private final CurrentCaller caller;

    public MyNoticeResource(NoticeService notices, CurrentCaller caller) {
        this.notices = notices;
        this.caller = caller;
    }

    /** The caller's inbox: its cn_id's or uscc's notices, at the citizens' view's real-name level (else 403). */
    private Inbox inbox() {
        return notices.dataSubjectInbox(caller.dataSubject());
    }

    @GET
    @RolesAllowed({ "citizen", "enterprise" })
    @Operation(summary = "The latest notices to the caller (its cn_id, or its uscc for every account acting for the "
            + "enterprise) about its own correction requests and complaints: answered, escalated as overdue, decided.",
            description = "Newest first, at most 100. `read` is the caller's own read state (per account, token "
                    + "subject). With `unread=true` only the notices the caller has not marked read. Nobody else's "
                    + "notices, and none of a department's.")
    @APIResponse(responseCode = "200", description = "the latest notices with the caller's read state",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = MyNoticeView.class),
                    examples = @ExampleObject(name = "one unread, one read", value = LIST_EXAMPLE)))
    @APIResponse(responseCode = "400", description = "unread is neither true nor false",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @SharedAnswers.LevelNeeded
    public List<MyNoticeView> list(
            @Parameter(description = "`true`: only notices the caller has not marked read", example = "true")
            @QueryParam("unread") Boolean unread) {
        boolean unreadOnly = Boolean.TRUE.equals(unread);
        return notices.latest(inbox(), unreadOnly, 100).stream().map(MyNoticeView::of).toList();
    }

    @GET
    @Path("/unread-count")
    @RolesAllowed({ "citizen", "enterprise" })
    @Operation(summary = "How many of the caller's own notices (all of them, not only the latest 100) the caller has "
            + "not marked read.")
    @APIResponse(responseCode = "200", description = "the caller's unread notices",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    examples = @ExampleObject(name = "one unread", value = "{\"unread\": 1}")))
    @SharedAnswers.LevelNeeded
    public Map<String, Long> unreadCount() {
        return Map.of("unread", notices.unread(inbox()));
    }

    @POST
    @Path("/{id}/read")
    @RolesAllowed({ "citizen", "enterprise" })
    @Operation(summary = "Marks one of the caller's own notices read, for the caller only; again: nothing changes (204 "
            + "either way). Another person's notice, or a department's, is 404 like an unknown id.")
    @APIResponse(responseCode = "204", description = "marked read (or already read)")
    @APIResponse(responseCode = "400", description = "id is not a positive whole number; named in field",
            content = @Content(mediaType = Problem.MEDIA_TYPE,
                    examples = @ExampleObject(name = "bad id", value = CorrectionResource.BAD_ID_EXAMPLE)))
    @APIResponse(responseCode = "404", description = "no such notice for the caller",
            content = @Content(mediaType = Problem.MEDIA_TYPE,
                    examples = @ExampleObject(name = "another person's notice", value = NOT_FOUND_EXAMPLE)))
    @SharedAnswers.LevelNeeded
    public void markRead(@Parameter(description = "the notice's id, a positive whole number", schema = @Schema(
            type = SchemaType.INTEGER, format = "int64"), example = "204") @PathParam("id") String id) {
        long n = CorrectionResource.requestId(id);
        if (!notices.markRead(inbox(), n)) {
            throw ApiException.notFound("没有该通知 / no notice " + n + " for you");
        }
    }

    @POST
    @Path("/read")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ "citizen", "enterprise" })
    @Operation(summary = "Marks every notice of the caller's own with an id up to upTo read, for the caller only; the "
            + "answer says how many were marked now and how many stay unread.",
            description = NoticeResource.READ_UP_TO_DOC)
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ReadUpTo.class),
            examples = @ExampleObject(name = "everything up to the newest listed", value = "{\"upTo\": 204}")))
    @NoticeResource.ReadUpToAnswers
    @SharedAnswers.LevelNeeded
    public Map<String, Long> markReadUpTo(ReadUpTo body) {
        return NoticeResource.markReadUpTo(notices, this::inbox, body);
    }
}
