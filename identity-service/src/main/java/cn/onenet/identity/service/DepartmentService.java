package cn.onenet.identity.service;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import cn.onenet.common.identifiers.CreditCode;
import cn.onenet.common.problem.ApiException;
import cn.onenet.identity.model.AdminLevel;
import cn.onenet.identity.model.Department;
import cn.onenet.identity.model.Region;
import io.quarkus.panache.common.Sort;

/** Read access to the department registry and the region tree. */
@ApplicationScoped
public class DepartmentService {

    public List<Department> departments(String regionCode, AdminLevel level) {
        StringBuilder query = new StringBuilder("1 = 1");
        java.util.Map<String, Object> params = new java.util.HashMap<>();
        if (regionCode != null) {
            query.append(" and regionCode = :region");
            params.put("region", regionCode);
        }
        if (level != null) {
            query.append(" and level = :level");
            params.put("level", level);
        }
        return Department.find(query.toString(), Sort.by("level").and("code"), params).list();
    }

    public Department department(String code) {
        if (CreditCode.problem(code).isPresent()) {
            throw ApiException.field("code", CreditCode.problem(code).get());
        }
        Optional<Department> found = Department.find("code", CreditCode.normalise(code)).firstResultOptional();
        return found.orElseThrow(() -> ApiException.notFound("部门不存在 / no department with code " + code));
    }

    public List<Region> regions() {
        return Region.listAll(Sort.by("code"));
    }

    public Region region(String code) {
        return Region.<Region>findByIdOptional(code)
                .orElseThrow(() -> ApiException.notFound("行政区划不存在 / no region with code " + code));
    }
}
