package cn.onenet.identity.rest;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
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

import cn.onenet.common.problem.ApiException;
import cn.onenet.identity.model.AdminLevel;
import cn.onenet.identity.model.Department;
import cn.onenet.identity.model.DepartmentKind;
import cn.onenet.identity.rest.AdminViews.AdminChangeView;
import cn.onenet.identity.service.AdminChanges;
import cn.onenet.identity.service.DepartmentService;
import cn.onenet.identity.service.ListPage;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * The department registry is public: every department system and citizen may read it. Administrators register
 * departments, change their names, parent and kind, deactivate them (never delete) and reactivate them; the
 * deactivation or reactivation of a department another administrator works in waits for a second administrator
 * (双人复核, {@link AdminChanges}).
 */
@Path("/api/identity/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Departments and regions")
@PermitAll
public class DepartmentResource {

    /**
     * Hangzhou's competent authority (主管部门), the city's police under the provincial department, and a county
     * bureau deactivated (撤销), listed only with includeInactive=true.
     */
    private static final String DATA_ADMINISTRATION = """
            {"code": "113301000024910106", "name": "杭州市数据资源管理局", "nameEn": "Hangzhou Data Resources Administration",
             "regionCode": "330100", "parentCode": null, "level": "CITY", "kind": "GOVERNMENT_DEPARTMENT",
             "competentAuthority": true, "active": true, "version": 0}""";
    private static final String CITY_POLICE = """
            {"code": "113301000024910207", "name": "杭州市公安局", "nameEn": "Hangzhou Public Security Bureau",
             "regionCode": "330100", "parentCode": "11330000002481020A", "level": "CITY",
             "kind": "GOVERNMENT_DEPARTMENT", "competentAuthority": false, "active": true, "version": 3}""";
    private static final String CIVIL_AFFAIRS_BUREAU = """
            {"code": "11330106002511010H", "name": "杭州市西湖区民政局", "nameEn": "Xihu District Civil Affairs Bureau",
             "regionCode": "330106", "parentCode": "11330000002481090H", "level": "COUNTY",
             "kind": "GOVERNMENT_DEPARTMENT", "competentAuthority": false, "active": false, "version": 1}""";
    private static final String NEW_DEPARTMENT = """
            {"code": "11330100MB0000001R", "name": "杭州市数据资源管理局数据共享中心",
             "nameEn": "Hangzhou Data Sharing Centre", "regionCode": "330100",
             "parentCode": "113301000024910106", "level": "CITY", "kind": "AUTHORISED_ORGANISATION",
             "competentAuthority": false, "reason": "杭编〔2026〕12号 设立"}""";
    private static final String CHANGE = """
            {"name": "杭州市公安局", "nameEn": "Hangzhou Municipal Public Security Bureau",
             "parentCode": "11330000002481020A", "kind": "GOVERNMENT_DEPARTMENT",
             "reason": "英文名称按机构编制批复更正"}""";
    private static final String DEACTIVATION = """
            {"reason": "机构改革：职责并入杭州市数据资源管理局（杭编〔2026〕15号）"}""";
    private static final String REACTIVATION = """
            {"reason": "撤销决定已撤回，恢复设立（杭编〔2026〕21号）"}""";
    private static final String PARENT_DEACTIVATED = """
            {"type": "urn:onenet:problem:illegal-transition", "title": "当前状态不允许此操作", "status": 409,
             "detail": "上级部门 113301000024910207（杭州市公安局）已撤销，须先恢复 / the parent department 113301000024910207 is deactivated: reactivate it first",
             "instance": "/api/identity/v1/departments/11330100MB0000001R/reactivate",
             "parentCode": "113301000024910207"}""";
    private static final String WAITING = """
            {"id": "6a1d3f58-2c7e-4b90-8e15-9d4c2a7b6f03", "accountId": null, "accountName": null,
             "kind": "DEPARTMENT_DEACTIVATE", "roles": null, "level": null, "levelMethod": null, "phoneMasked": null,
             "emailMasked": null, "reason": "机构改革：职责并入杭州市数据资源管理局（杭编〔2026〕15号）", "username": null,
             "departmentCode": "113301000024910207", "departmentName": "杭州市公安局",
             "requestedBy": "5b1f0c8e-2a47-4d3b-9c61-7e8a4f2d9b13", "requestedByName": "陈明（大数据局管理员）",
             "requestedAt": "2026-03-02T09:15:00+08:00", "expiresAt": "2026-03-03T09:15:00+08:00",
             "status": "PENDING", "decidedBy": null, "decidedByName": null, "decidedAt": null, "version": 0}""";
    private static final String WAITS = "another enabled administrator works in the department: the request, checked "
            + "as the single-step one, waits for a second administrator (双人复核) — neither the requester nor an "
            + "administrator of the department — who confirms it at admin-changes/{id}/confirm; while the caller is the "
            + "only administrator who can act, it is applied at once (200)";

    private final DepartmentService departments;
    private final AdminChanges changes;
    private final SecurityIdentity caller;

    public DepartmentResource(DepartmentService departments, AdminChanges changes, SecurityIdentity caller) {
        this.departments = departments;
        this.changes = changes;
        this.caller = caller;
    }

    @Schema(name = "NewDepartment")
    public record NewDepartmentRequest(
            @Schema(example = "11330100MB0000001R", description = "统一社会信用代码") String code,
            @Schema(example = "杭州市数据资源管理局数据共享中心", maxLength = 200) String name,
            @Schema(example = "Hangzhou Data Sharing Centre", maxLength = 200) String nameEn,
            @Schema(example = "330100", description = "GB/T 2260 region code; must exist") String regionCode,
            @Schema(example = "113301000024910106",
                    description = "parent department: active, at the same or a higher level") String parentCode,
            AdminLevel level, DepartmentKind kind,
            @Schema(description = "政务数据共享主管部门 of its region (one per region)") boolean competentAuthority,
            @Schema(example = "杭编〔2026〕12号 设立", description = "why (audited)", maxLength = 500) String reason) {
    }

    @Schema(name = "DepartmentChange")
    public record ChangeRequest(
            @Schema(example = "杭州市公安局", maxLength = 200) String name,
            @Schema(example = "Hangzhou Municipal Public Security Bureau", maxLength = 200) String nameEn,
            @Schema(example = "11330000002481020A", description = "the new parent; null for none") String parentCode,
            DepartmentKind kind,
            @Schema(example = "英文名称按机构编制批复更正", description = "why (audited)", maxLength = 500) String reason) {
    }

    /** The body of a deactivation or a reactivation: why (audited). */
    @Schema(name = "DepartmentDeactivation")
    public record DeactivationRequest(
            @Schema(example = "机构改革：职责并入杭州市数据资源管理局", description = "why (audited)", maxLength = 500)
            String reason) {
    }

    @GET
    @Path("/departments")
    @Operation(summary = "List departments (部门), optionally by region and level, ordered by level and code; "
            + "deactivated ones only with includeInactive=true. Every match without page and size, else one page; "
            + "the X-Total-Count header counts every match. Public.")
    @APIResponse(responseCode = "200", description = "the departments, or one page of them",
            headers = @Header(name = "X-Total-Count", description = "how many departments match the filters, on all "
                    + "pages", schema = @Schema(type = SchemaType.INTEGER, example = "42")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = DepartmentView.class),
                    examples = @ExampleObject(name = "with includeInactive=true",
                            value = "[" + DATA_ADMINISTRATION + ", " + CITY_POLICE + ", " + CIVIL_AFFAIRS_BUREAU
                                    + "]")))
    @APIResponse(responseCode = "400", description = "a bad level or includeInactive, a negative page, a size "
            + "outside 1..200 or a page whose first row is past 2147483647; the problem names the field",
            content = @Content(mediaType = "application/problem+json"))
    public Response list(
            @Parameter(description = "GB/T 2260 region code", example = "330000") @QueryParam("region") String region,
            @QueryParam("level") AdminLevel level,
            @Parameter(description = "also list deactivated departments (active: false)", example = "true")
            @QueryParam("includeInactive") String includeInactive,
            @Parameter(description = "page number from 0; without page and size, every match", example = "0")
            @QueryParam("page") Integer page,
            @Parameter(description = "page size, 1..200 (default 50 once page is given)", example = "50")
            @QueryParam("size") Integer size) {
        ListPage<Department> found = departments.departments(region, level, flag(includeInactive), page, size);
        Map<Long, String> codes = Department.<Department>listAll().stream()
                .collect(Collectors.toMap(d -> d.id, d -> d.code));
        return Response.ok(found.items().stream()
                .map(d -> DepartmentView.of(d, d.parentId == null ? null : codes.get(d.parentId))).toList())
                .header("X-Total-Count", found.total()).build();
    }

    @GET
    @Path("/departments/{code}")
    @Operation(summary = "One department by its 统一社会信用代码, deactivated ones included (active: false). Public.")
    @APIResponse(responseCode = "200", description = "the department",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = DepartmentView.class), examples = {
                            @ExampleObject(name = "active", value = CITY_POLICE),
                            @ExampleObject(name = "deactivated (撤销)", value = CIVIL_AFFAIRS_BUREAU) }))
    public DepartmentView get(@PathParam("code") String code) {
        return view(departments.department(code));
    }

    @POST
    @Path("/departments")
    @RolesAllowed("admin")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register a department (统一社会信用代码 with a valid check character, existing region, "
            + "parent at the same or a higher level). Role admin.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "new department", value = NEW_DEPARTMENT)))
    @APIResponse(responseCode = "201", description = "the department",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = DepartmentView.class)))
    @APIResponse(responseCode = "409", description = "the code is registered, or the region has a competent authority")
    public Response create(@NotNull NewDepartmentRequest r) {
        Department d = departments.create(new DepartmentService.NewDepartment(r.code(), r.name(), r.nameEn(),
                r.regionCode(), r.parentCode(), r.level(), r.kind(), r.competentAuthority(), r.reason()),
                caller.getPrincipal().getName());
        return Response.status(201).entity(view(d)).build();
    }

    @PUT
    @Path("/departments/{code}")
    @RolesAllowed("admin")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change a department's names, parent and kind (region, level and code stay). Send the "
            + "version you read as If-Match (or ?version=); a stale one gets 409. Role admin.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "change", value = CHANGE)))
    @APIResponse(responseCode = "200", description = "the department",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = DepartmentView.class)))
    @APIResponse(responseCode = "409", description = "stale version, or the department is deactivated")
    public DepartmentView update(@PathParam("code") String code,
            @Parameter(description = "the version read", example = "\"3\"") @HeaderParam("If-Match") String ifMatch,
            @Parameter(description = "the version read (instead of If-Match)", example = "3")
            @QueryParam("version") String version, @NotNull ChangeRequest r) {
        long expected = expectedVersion(ifMatch, version);
        return view(departments.update(code, expected, new DepartmentService.Change(r.name(), r.nameEn(),
                r.parentCode(), r.kind(), r.reason()), caller.getPrincipal().getName()));
    }

    @POST
    @Path("/departments/{code}/deactivate")
    @RolesAllowed("admin")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Deactivate (撤销) a department: kept for what refers to it, no new staff or "
            + "sub-departments, hidden from the listing by default; its staff's tokens carry no roles. Not with active "
            + "sub-departments. Send the version you read as If-Match (or ?version=). Of a department another enabled "
            + "administrator works in: 202 with the change waiting for a second administrator (双人复核). Role admin.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "merged", value = DEACTIVATION)))
    @APIResponse(responseCode = "200", description = "the department",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = DepartmentView.class)))
    @APIResponse(responseCode = "202", description = WAITS, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = AdminChangeView.class),
            examples = @ExampleObject(name = "waits for a second administrator", value = WAITING)))
    @APIResponse(responseCode = "409", description = "stale version, already deactivated, active "
            + "sub-departments, it would leave no enabled account with role admin in an active department, or a "
            + "deactivation or reactivation of it already waits")
    public Response deactivate(@PathParam("code") String code,
            @Parameter(description = "the version read", example = "\"3\"") @HeaderParam("If-Match") String ifMatch,
            @Parameter(description = "the version read (instead of If-Match)", example = "3")
            @QueryParam("version") String version, @NotNull DeactivationRequest r) {
        long expected = expectedVersion(ifMatch, version);
        return answer(changes.deactivateDepartment(code, expected, r.reason(), caller.getPrincipal().getName()));
    }

    @POST
    @Path("/departments/{code}/reactivate")
    @RolesAllowed("admin")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Reactivate (恢复) a deactivated department: listed again, takes staff, clients and "
            + "sub-departments, and its staff's and clients' tokens carry it again. Its parent must be active. Send "
            + "the version you read as If-Match (or ?version=). Of a department with enabled administrators: 202 with "
            + "the change waiting for a second administrator (双人复核). Role admin.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = DeactivationRequest.class),
            examples = @ExampleObject(name = "decision withdrawn", value = REACTIVATION)))
    @APIResponse(responseCode = "200", description = "the department, active again",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = DepartmentView.class)))
    @APIResponse(responseCode = "202", description = "the department has enabled administrators, whose power it "
            + "gives back: " + WAITS, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = AdminChangeView.class)))
    @APIResponse(responseCode = "400", description = "no reason, or no version (If-Match / ?version=)")
    @APIResponse(responseCode = "409", description = "stale version, the department is active, its parent is "
            + "deactivated (the problem names it in detail and in parentCode), or a change of it already waits",
            content = @Content(mediaType = "application/problem+json",
                    examples = @ExampleObject(name = "parent deactivated", value = PARENT_DEACTIVATED)))
    public Response reactivate(@PathParam("code") String code,
            @Parameter(description = "the version read", example = "\"4\"") @HeaderParam("If-Match") String ifMatch,
            @Parameter(description = "the version read (instead of If-Match)", example = "4")
            @QueryParam("version") String version, @NotNull DeactivationRequest r) {
        long expected = expectedVersion(ifMatch, version);
        return answer(changes.reactivateDepartment(code, expected, r.reason(), caller.getPrincipal().getName()));
    }

    /** 200 with the department changed, or 202 with the change waiting for a second administrator. */
    private static Response answer(AdminChanges.DepartmentOutcome outcome) {
        return outcome.pending() != null ? Response.status(202).entity(AdminChangeView.of(outcome.pending())).build()
                : Response.ok(view(outcome.applied())).build();
    }

    @GET
    @Path("/regions")
    @Operation(summary = "The region tree (行政区划). Public.")
    public List<RegionView> regions() {
        return departments.regions().stream().map(RegionView::of).toList();
    }

    @GET
    @Path("/regions/{code}")
    @Operation(summary = "One region by GB/T 2260 code. Public.")
    public RegionView region(@PathParam("code") String code) {
        return RegionView.of(departments.region(code));
    }

    private static DepartmentView view(Department d) {
        String parent = d.parentId == null ? null : Department.<Department>findById(d.parentId).code;
        return DepartmentView.of(d, parent);
    }

    private static boolean flag(String value) {
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw ApiException.field("includeInactive", "应为 true 或 false / must be true or false");
    }

    /** The version from If-Match ({@code "3"}, {@code W/"3"} or {@code 3}) or from {@code ?version=}; one is needed. */
    static long expectedVersion(String ifMatch, String version) {
        String field = ifMatch != null ? "If-Match" : "version";
        String value = ifMatch != null ? ifMatch.replace("W/", "").replace("\"", "").trim() : version;
        if (value == null) {
            throw ApiException.field("If-Match", "须提供所读取的版本（If-Match 或 version）/ send the version you read "
                    + "as If-Match or ?version=");
        }
        try {
            long parsed = Long.parseLong(value.trim());
            if (parsed < 0) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw ApiException.field(field, "应为部门的版本号 / must be the department's version");
        }
    }
}
