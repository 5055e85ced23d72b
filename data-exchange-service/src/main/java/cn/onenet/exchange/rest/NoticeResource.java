package cn.onenet.exchange.rest;

import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

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
import cn.onenet.exchange.config.ExchangeConfig;
import cn.onenet.exchange.service.Fields;
import cn.onenet.exchange.service.Caller;
import cn.onenet.exchange.service.Commands.ReadUpTo;
import cn.onenet.exchange.service.NoticeService;
import cn.onenet.exchange.service.NoticeService.Inbox;
import cn.onenet.exchange.service.Regions;

/**
 * Notices to the caller's department and, for reviewers, to the 主管部门 of their region; each reader (the account,
 * token subject) marks them read for itself.
 */
@Path("/api/exchange/v1/notices")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "notices", description = "通知 (notices)")
public class NoticeResource {

    static final String LIST_EXAMPLE = "[{\"id\": 131, \"kind\": \"GRANT_SUSPENDED\", \"subjectType\": \"GRANT\", "
            + "\"subjectId\": 17, \"message\": \"授权已暂停：发现超出授权用途批量调用，暂停核查\", \"regionCode\": null, "
            + "\"createdAt\": \"2027-02-03T07:40:02Z\", \"read\": false}, {\"id\": 128, \"kind\": \"REQUEST_APPROVED\", "
            + "\"subjectType\": \"REQUEST\", \"subjectId\": 42, \"message\": \"申请已批准\", \"regionCode\": null, "
            + "\"createdAt\": \"2026-12-09T03:15:27Z\", \"read\": true}]";

    static final String NOT_FOUND_EXAMPLE = "{\"type\": \"urn:onenet:problem:not-found\", \"title\": \"资源不存在\", "
            + "\"status\": 404, \"detail\": \"没有该通知 / no notice 131 for you\", "
            + "\"requestId\": \"4c7e1a9d-2b3f-4e58-8a61-0d9f3c5b7e12\"}";

    static final String NOT_MINE = "标记截至的通知须为您的通知之一 / the notice to mark up to must be one of your notices";

    static final String NOT_MINE_EXAMPLE = "{\"type\": \"urn:onenet:problem:validation\", \"title\": \"请求参数校验失败\", "
            + "\"status\": 400, \"detail\": \"" + NOT_MINE + "\", \"field\": \"upTo\", "
            + "\"errors\": [{\"field\": \"upTo\", \"message\": \"" + NOT_MINE + "\"}], "
            + "\"requestId\": \"8e2d4f6a-1c3b-4a5e-9f70-b2d4c6e8a013\"}";

    static final String READ_UP_TO_DOC = "upTo is the id of one of the caller's notices, the newest it has seen, so "
            + "a notice arriving meanwhile stays unread. Idempotent: marking again changes nothing (marked 0).";

    /** The answers of marking notices read up to an id: how many were marked and stay unread; 400 naming upTo. */
    @Retention(RUNTIME)
    @Target(METHOD)
    @APIResponse(responseCode = "200", description = "how many were marked now, how many stay unread",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    examples = @ExampleObject(name = "two marked", value = "{\"marked\": 2, \"unread\": 0}")))
    @APIResponse(responseCode = "400", description = "upTo missing, or not the id of one of the caller's notices",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "not the caller's",
                    value = NOT_MINE_EXAMPLE)))
    @interface ReadUpToAnswers {
    }

    private final NoticeService notices;
    private final CurrentCaller caller;
    private final ExchangeConfig config;

    public NoticeResource(NoticeService notices, CurrentCaller caller, ExchangeConfig config) {
        this.notices = notices;
        this.caller = caller;
        this.config = config;
    }

    /** The caller's notices: its department's (the 主管部门's for its staff without one), a reviewer's region's. */
    private Inbox inbox() {
        Caller c = caller.get();
        String dept = c.department() == null && c.isAuthority() ? config.competentAuthorityDepartment()
                : c.departmentOrFail();
        String region = c.has("reviewer") ? Regions.authorityRegion(c.region()) : null;
        if (c.subject() == null || c.subject().isBlank()) {
            throw ApiException.forbidden("令牌缺少账号 (sub) / the token names no account");
        }
        return new Inbox(dept, region, c.subject());
    }

    @GET
    @RolesAllowed({ "operator", "head", "system", "reviewer", "admin", "auditor" })
    @Operation(summary = "Latest notices to the caller's department (the 主管部门's, for its reviewers); reviewers also "
            + "get the notices to the 主管部门 of their token's region (regionCode set), e.g. a dispute routed there.",
            description = "Newest first, at most 100. `read` is the caller's own read state (per account, token "
                    + "subject): another member of the department reading a notice does not mark it read for the "
                    + "caller. With `unread=true` only the notices the caller has not marked read.")
    @APIResponse(responseCode = "200", description = "the latest notices with the caller's read state",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = Views.NoticeView.class),
                    examples = @ExampleObject(name = "one unread, one read", value = LIST_EXAMPLE)))
    @APIResponse(responseCode = "400", description = "unread is neither true nor false",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public List<Views.NoticeView> list(
            @Parameter(description = "`true`: only notices the caller has not marked read", example = "true")
            @QueryParam("unread") Boolean unread) {
        boolean unreadOnly = Boolean.TRUE.equals(unread);
        return notices.latest(inbox(), unreadOnly, 100).stream().map(Views.NoticeView::of).toList();
    }

    @GET
    @Path("/unread-count")
    @RolesAllowed({ "operator", "head", "system", "reviewer", "admin", "auditor" })
    @Operation(summary = "How many of the caller's notices (as listed, all of them, not only the latest 100) the caller "
            + "has not marked read.")
    @APIResponse(responseCode = "200", description = "the caller's unread notices",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    examples = @ExampleObject(name = "three unread", value = "{\"unread\": 3}")))
    public Map<String, Long> unreadCount() {
        return Map.of("unread", notices.unread(inbox()));
    }

    @POST
    @Path("/{id}/read")
    @RolesAllowed({ "operator", "head", "system", "reviewer", "admin", "auditor" })
    @Operation(summary = "Marks one of the caller's notices read, for the caller only; again: nothing changes (204 "
            + "either way). A notice the caller's list would not hold (another department's or region's) is 404.")
    @APIResponse(responseCode = "204", description = "marked read (or already read)")
    @APIResponse(responseCode = "404", description = "no such notice for the caller",
            content = @Content(mediaType = Problem.MEDIA_TYPE,
                    examples = @ExampleObject(name = "another department's notice", value = NOT_FOUND_EXAMPLE)))
    public void markRead(@PathParam("id") long id) {
        if (!notices.markRead(inbox(), id)) {
            throw ApiException.notFound("没有该通知 / no notice " + id + " for you");
        }
    }

    @POST
    @Path("/read")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ "operator", "head", "system", "reviewer", "admin", "auditor" })
    @Operation(summary = "Marks every notice of the caller's (as listed) with an id up to upTo read, for the caller "
            + "only; the answer says how many were marked now and how many stay unread.",
            description = READ_UP_TO_DOC)
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ReadUpTo.class),
            examples = @ExampleObject(name = "everything up to the newest listed", value = "{\"upTo\": 131}")))
    @ReadUpToAnswers
    public Map<String, Long> markReadUpTo(ReadUpTo body) {
        return markReadUpTo(notices, this::inbox, body);
    }

    /**
     * Marks the inbox's notices up to {@code body.upTo} read: how many now, how many stay unread; 400 naming upTo when
     * it is missing or not a notice of the inbox. The body is checked before the inbox is asked for.
     */
    static Map<String, Long> markReadUpTo(NoticeService notices, Supplier<Inbox> inboxOfCaller, ReadUpTo body) {
        if (body == null || body.upTo() == null || body.upTo() < 1) {
            throw Fields.UP_TO.error(Fields.UP_TO.mustBe("不小于 1 的通知编号", "a notice id of at least 1"));
        }
        Inbox inbox = inboxOfCaller.get();
        long marked = notices.markReadUpTo(inbox, body.upTo());
        if (marked < 0) {
            throw ApiException.field("upTo", NOT_MINE);
        }
        return Map.of("marked", marked, "unread", notices.unread(inbox));
    }
}
