package cn.onenet.identity.rest;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import cn.onenet.identity.model.AdminLevel;
import cn.onenet.identity.model.Department;
import cn.onenet.identity.service.DepartmentService;

/** The department registry is public: every department system and citizen may read it. */
@Path("/api/identity/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Departments and regions")
@PermitAll
public class DepartmentResource {

    private final DepartmentService departments;

    public DepartmentResource(DepartmentService departments) {
        this.departments = departments;
    }

    @GET
    @Path("/departments")
    @Operation(summary = "List departments (部门), optionally by region and level. Public.")
    public List<DepartmentView> list(@QueryParam("region") String region, @QueryParam("level") AdminLevel level) {
        List<Department> found = departments.departments(region, level);
        Map<Long, String> codes = Department.<Department>listAll().stream()
                .collect(Collectors.toMap(d -> d.id, d -> d.code));
        return found.stream().map(d -> DepartmentView.of(d, d.parentId == null ? null : codes.get(d.parentId)))
                .toList();
    }

    @GET
    @Path("/departments/{code}")
    @Operation(summary = "One department by its 统一社会信用代码. Public.")
    public DepartmentView get(@PathParam("code") String code) {
        Department d = departments.department(code);
        String parent = d.parentId == null ? null : Department.<Department>findById(d.parentId).code;
        return DepartmentView.of(d, parent);
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
}
