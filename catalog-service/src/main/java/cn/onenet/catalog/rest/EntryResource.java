package cn.onenet.catalog.rest;

import java.util.List;
import java.util.function.Function;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import cn.onenet.catalog.config.CatalogConfig;
import cn.onenet.catalog.model.CatalogEntry;
import cn.onenet.catalog.model.EntryContent;
import cn.onenet.catalog.model.EntryEvent;
import cn.onenet.catalog.model.EntryState;
import cn.onenet.catalog.model.EntryVersion;
import cn.onenet.catalog.service.Caller;
import cn.onenet.catalog.service.CatalogService;
import cn.onenet.catalog.service.VersionDiff;
import cn.onenet.catalog.service.Workflow;
import cn.onenet.catalog.service.search.SearchService;
import cn.onenet.common.problem.ApiException;
import io.quarkus.security.identity.SecurityIdentity;

/** Catalogue entries and their review-and-publish lifecycle (条例 Arts. 13–17, 27). */
@Path("/api/catalog/v1/entries")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "entries", description = "政务数据目录条目及其审核发布流程 / catalogue entries and their lifecycle")
public class EntryResource {

    static final String ENTRY_EXAMPLE = """
            {"classification":{"resourceClass":"BASE","category":"人口","itemCode":"01","catalogCode":"001"},
             "name":"居民户籍信息","providerDepartmentCode":"11330000002481020A","providerDepartmentName":"浙江省公安厅",
             "regionCode":"330000","abstract":"全省常住居民户籍登记信息",
             "format":{"formatClass":"DATABASE","formatType":"PostgreSQL"},
             "items":[{"code":"GMSFHM","name":"公民身份号码","dataType":"C","length":18,"sensitive":true,"authoritativeSource":true},
                      {"code":"XM","name":"姓名","dataType":"C","length":50,"sensitive":true}],
             "keyItem":"GMSFHM","shareAttribute":"CONDITIONAL","shareConditions":"仅限办理社会保障、公积金业务时使用",
             "shareScope":"省内各级政务部门","permittedPurposes":["社会保障待遇资格认证"],
             "shareMethod":{"methodClass":"PLATFORM","methodType":"API"},"openAttribute":"NOT_OPEN",
             "updateCycle":"DAILY","dataCategory":"人口基础信息","grade":"LEVEL_3","keywords":["户籍","户口"]}""";

    private final CatalogService catalog;
    private final EntryViews views;
    private final SearchService search;
    private final SecurityIdentity identity;
    private final CatalogConfig config;

    public EntryResource(CatalogService catalog, EntryViews views, SearchService search, SecurityIdentity identity,
            CatalogConfig config) {
        this.catalog = catalog;
        this.views = views;
        this.search = search;
        this.identity = identity;
        this.config = config;
    }

    private Caller caller() {
        return Callers.of(identity);
    }

    @POST
    @RolesAllowed("catalog-editor")
    @Operation(summary = "Create a draft entry of the caller's own department (catalog-editor).")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "居民户籍信息", value = ENTRY_EXAMPLE)))
    @APIResponse(responseCode = "201", description = "the draft entry",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = EntryView.class)))
    public Response create(EntryContent content) {
        Caller c = caller();
        CatalogEntry e = catalog.create(c, content);
        return Response.status(201).entity(views.of(c, e)).build();
    }

    @GET
    @RolesAllowed({"catalog-editor", "reviewer", "admin"})
    @Operation(summary = "Work list: editors see their department's entries in every state; reviewers and admins all.")
    public List<EntryView> list(@QueryParam("state") EntryState state, @QueryParam("provider") String provider,
            @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        Caller c = caller();
        int s = size == null ? 50 : Math.max(1, Math.min(size, config.maxPageSize()));
        int p = page == null ? 0 : Math.max(0, page);
        return catalog.list(c, state, provider, p, s).stream().map(e -> views.of(c, e)).toList();
    }

    @GET
    @Path("/overdue")
    @RolesAllowed({"reviewer", "admin"})
    @Operation(summary = "Entries past a statutory working-day deadline (review 2 WD, change 10 WD + 5).")
    public List<EntryView> overdue() {
        Caller c = caller();
        return catalog.overdue().stream().map(e -> views.of(c, e)).toList();
    }

    @GET
    @Path("/{id}")
    @PermitAll
    @Operation(summary = "One entry. Anonymous callers see only published, open entries; authenticated callers "
            + "all published ones; editors their own drafts; reviewers everything.")
    public EntryView get(@PathParam("id") long id) {
        Caller c = caller();
        return views.of(c, catalog.get(c, id));
    }

    @GET
    @Path("/by-code")
    @PermitAll
    @Operation(summary = "Look an entry up by its resource code (分类码/顺序码), e.g. ?code=101001/000001.")
    public EntryView byCode(@QueryParam("code") String code) {
        if (code == null || code.isBlank()) {
            throw ApiException.field("code", "资源代码必填 / code required");
        }
        Caller c = caller();
        return views.of(c, catalog.byCode(c, code.trim()));
    }

    @PUT
    @Path("/{id}")
    @RolesAllowed("catalog-editor")
    @Operation(summary = "Replace the draft (own department, states DRAFT/RETURNED/CHANGE_PENDING). "
            + "Send If-Match with the lockVersion you read; a stale one gets 409.")
    public EntryView update(@PathParam("id") long id, @HeaderParam("If-Match") String ifMatch,
            @QueryParam("reason") String reason, EntryContent content) {
        Integer expected = null;
        if (ifMatch != null && !ifMatch.isBlank()) {
            try {
                expected = Integer.valueOf(ifMatch.replace("\"", "").replace("W/", "").trim());
            } catch (NumberFormatException e) {
                throw ApiException.field("If-Match", "应为条目的 lockVersion / must be the entry's lockVersion");
            }
        }
        Caller c = caller();
        return views.of(c, catalog.update(c, id, content, expected, reason));
    }

    @POST
    @Path("/{id}/assessments/{kind}")
    @RolesAllowed("catalog-editor")
    @Operation(summary = "Attach the secrecy (kind=secrecy) or personal-information impact assessment "
            + "(kind=personal-information) required before submission (条例 Art. 13).")
    public EntryView assessment(@PathParam("id") long id, @PathParam("kind") String kind, Workflow.Assessment body) {
        Caller c = caller();
        return views.of(c, catalog.attachAssessment(c, id, kind, body));
    }

    @POST
    @Path("/{id}/head-approval")
    @RolesAllowed("catalog-editor")
    @Operation(summary = "Record the department head's approval (部门负责人审核), after both assessments.")
    public EntryView headApproval(@PathParam("id") long id, Workflow.HeadApproval body) {
        Caller c = caller();
        return views.of(c, catalog.recordHeadApproval(c, id, body));
    }

    @POST
    @Path("/{id}/submit")
    @RolesAllowed("catalog-editor")
    @Operation(summary = "Submit to the 主管部门 for review; starts the 2-working-day review timer.")
    public EntryView submit(@PathParam("id") long id, Requests.Opinion body) {
        return act(c -> catalog.submit(c, id, opinion(body)));
    }

    @POST
    @Path("/{id}/return")
    @RolesAllowed("reviewer")
    @Operation(summary = "Return a submitted entry with an opinion (退回修改).")
    public EntryView returnEntry(@PathParam("id") long id, Requests.Opinion body) {
        return act(c -> catalog.returnWithOpinion(c, id, opinion(body)));
    }

    @POST
    @Path("/{id}/approve")
    @RolesAllowed("reviewer")
    @Operation(summary = "Approve a submitted entry; assigns its resource code on first approval.")
    public EntryView approve(@PathParam("id") long id, Requests.Opinion body) {
        return act(c -> catalog.approve(c, id, opinion(body)));
    }

    @POST
    @Path("/{id}/publish")
    @RolesAllowed("reviewer")
    @Operation(summary = "Publish an approved entry as its next numbered version (统一通告); appears in the feed.")
    public EntryView publish(@PathParam("id") long id, Requests.Opinion body) {
        return act(c -> catalog.publish(c, id, opinion(body)));
    }

    @POST
    @Path("/{id}/change")
    @RolesAllowed("catalog-editor")
    @Operation(summary = "Start a change of a published entry after a legal or duty change; 10 working days "
            + "from the trigger date (条例 Art. 17). The published version stays live meanwhile.")
    public EntryView change(@PathParam("id") long id, Requests.Change body) {
        return act(c -> catalog.startChange(c, id, body == null ? null : body.cause(),
                body == null ? null : body.triggeredOn()));
    }

    @POST
    @Path("/{id}/change-extension")
    @RolesAllowed("reviewer")
    @Operation(summary = "Extend the change period once by 5 working days.")
    public EntryView extend(@PathParam("id") long id, Requests.Opinion body) {
        return act(c -> catalog.extendChange(c, id, opinion(body)));
    }

    @POST
    @Path("/{id}/deregistration")
    @RolesAllowed("catalog-editor")
    @Operation(summary = "Ask to deregister (注销) a published entry.")
    public EntryView deregistration(@PathParam("id") long id, Requests.DeregistrationRequest body) {
        return act(c -> catalog.requestDeregistration(c, id, body == null ? null : body.reason()));
    }

    @POST
    @Path("/{id}/deregistration/filing")
    @RolesAllowed("catalog-editor")
    @Operation(summary = "File the 备案: consultation with the requesters holding grants (条例 Art. 27 ¶3).")
    public EntryView filing(@PathParam("id") long id, Requests.Filing body) {
        return act(c -> catalog.fileRecord(c, id, body == null ? null : body.filing()));
    }

    @POST
    @Path("/{id}/deregistration/filing-acceptance")
    @RolesAllowed("reviewer")
    @Operation(summary = "Accept the provider's 备案, allowing deregistration despite active grants.")
    public EntryView acceptFiling(@PathParam("id") long id, Requests.Opinion body) {
        return act(c -> catalog.acceptFiling(c, id, opinion(body)));
    }

    @POST
    @Path("/{id}/deregistration/approval")
    @RolesAllowed("reviewer")
    @Operation(summary = "Deregister. Asks the exchange for active grants first: refused (409) while any exist and "
            + "no 备案 is accepted, and refused (503) when the exchange cannot answer.")
    public EntryView approveDeregistration(@PathParam("id") long id, Requests.Opinion body) {
        return act(c -> catalog.approveDeregistration(c, id, opinion(body)));
    }

    @POST
    @Path("/{id}/deregistration/rejection")
    @RolesAllowed("reviewer")
    @Operation(summary = "Refuse a deregistration; the entry stays published.")
    public EntryView rejectDeregistration(@PathParam("id") long id, Requests.Opinion body) {
        return act(c -> catalog.rejectDeregistration(c, id, opinion(body)));
    }

    @POST
    @Path("/{id}/reclassification")
    @RolesAllowed("admin")
    @Operation(summary = "Reclassify a published entry (admin): new classification, new resource code, "
            + "old code kept in the history and the feed.")
    public EntryView reclassify(@PathParam("id") long id, Requests.Reclassification body) {
        return act(c -> catalog.reclassify(c, id, body == null ? null : body.classification(),
                body == null ? null : body.opinion()));
    }

    @GET
    @Path("/{id}/versions")
    @PermitAll
    @Operation(summary = "The published versions of an entry.")
    public List<VersionView> versions(@PathParam("id") long id) {
        catalog.get(caller(), id);
        return catalog.versions(id).stream().map(v -> VersionView.of(v, null)).toList();
    }

    @GET
    @Path("/{id}/versions/{version}")
    @PermitAll
    @Operation(summary = "One published version with its full content.")
    public VersionView version(@PathParam("id") long id, @PathParam("version") int version) {
        catalog.get(caller(), id);
        EntryVersion v = catalog.version(id, version);
        return VersionView.of(v, catalog.content(v.content));
    }

    @GET
    @Path("/{id}/diff")
    @PermitAll
    @Operation(summary = "Field-by-field difference between two published versions (?from=1&to=3).")
    public List<VersionDiff.Change> diff(@PathParam("id") long id, @QueryParam("from") Integer from,
            @QueryParam("to") Integer to) {
        if (from == null || to == null) {
            throw ApiException.field(from == null ? "from" : "to", "版本号必填 / version required");
        }
        catalog.get(caller(), id);
        return catalog.diff(id, from, to);
    }

    @GET
    @Path("/{id}/history")
    @RolesAllowed({"catalog-editor", "reviewer", "admin", "auditor"})
    @Operation(summary = "Who changed what, when and why: every recorded step of the entry.")
    public List<EntryEvent> history(@PathParam("id") long id) {
        Caller c = caller();
        CatalogEntry e = catalog.get(c, id);
        if (!c.mayReadDrafts(e.providerCode) && !c.has("auditor")) {
            throw ApiException.forbidden("无权查看该条目历史 / not allowed to read this entry's history");
        }
        return catalog.history(id);
    }

    private EntryView act(Function<Caller, CatalogEntry> action) {
        Caller c = caller();
        CatalogEntry e = action.apply(c);
        search.catchUp();
        return views.of(c, e);
    }

    private static String opinion(Requests.Opinion body) {
        return body == null ? null : body.opinion();
    }

    /** A published version. */
    public record VersionView(int version, String label, boolean major, String publishedBy,
            java.time.Instant publishedAt, EntryContent content) {
        static VersionView of(EntryVersion v, EntryContent content) {
            return new VersionView(v.version, v.label, v.major, v.publishedBy, v.publishedAt, content);
        }
    }
}
