package cn.onenet.identity.service;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;

import cn.onenet.common.identifiers.CreditCode;
import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.FieldError;
import cn.onenet.common.problem.PrintableText;
import cn.onenet.common.problem.ProblemType;
import cn.onenet.identity.model.AdminLevel;
import cn.onenet.identity.model.Department;
import cn.onenet.identity.model.DepartmentKind;
import cn.onenet.identity.model.OAuthClient;
import cn.onenet.identity.model.Region;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Sort;

/**
 * The department registry (政务部门目录) and the region tree: public reads, and the administrators' changes (create,
 * change name, parent and kind, deactivate, reactivate). A department is never deleted: accounts, clients and tokens refer to it.
 * Every change is audited in its own transaction, with who, what and why.
 */
@ApplicationScoped
public class DepartmentService {

    static final int MAX_NAME = 200;
    static final int MAX_REASON = 500;

    /** Grant ids named in one {@code TOKEN_REVOKED} row: 20 of 36 characters keep it within the column's 1,000. */
    static final int GRANTS_PER_ROW = 20;

    private final AuditService audit;
    private final ClientRegistry clients;
    private final GrantStore grants;
    private final ClientCredentialsGrants clientCredentials;

    public DepartmentService(AuditService audit, ClientRegistry clients, GrantStore grants,
            ClientCredentialsGrants clientCredentials) {
        this.audit = audit;
        this.clients = clients;
        this.grants = grants;
        this.clientCredentials = clientCredentials;
    }

    /** A new department. */
    public record NewDepartment(String code, String name, String nameEn, String regionCode, String parentCode,
            AdminLevel level, DepartmentKind kind, boolean competentAuthority, String reason) {
    }

    /** What an administrator may change: names, parent (null: none) and kind. */
    public record Change(String name, String nameEn, String parentCode, DepartmentKind kind, String reason) {
    }

    /**
     * Departments by region and level, ordered by level and code, and how many match; deactivated ones only with
     * {@code includeInactive}. Without page and size every match (the services and forms reading the register take
     * it whole); with either one page as in the account list (size 1..200, default 50). A bad page or size is a
     * {@code 400} naming it.
     */
    public ListPage<Department> departments(String regionCode, AdminLevel level, boolean includeInactive,
            Integer page, Integer size) {
        ListFilter filter = new ListFilter();
        if (!includeInactive) {
            filter.and("active = :active", "active", true);
        }
        if (regionCode != null) {
            filter.and("regionCode = :region", "region", regionCode);
        }
        if (level != null) {
            filter.and("level = :level", "level", level);
        }
        BiFunction<String, Map<String, Object>, PanacheQuery<Department>> find = (where, params) -> Department
                .find(where, Sort.by("level").and("code"), params);
        return page == null && size == null ? filter.all(find) : filter.page(page, size, find);
    }

    public Department department(String code) {
        if (CreditCode.problem(code).isPresent()) {
            throw ApiException.field("code", CreditCode.problem(code).get());
        }
        Optional<Department> found = Department.find("code", CreditCode.normalise(code)).firstResultOptional();
        return found.orElseThrow(() -> ApiException.notFound("部门不存在 / no department with code " + code));
    }

    @Transactional
    public Department create(NewDepartment r, String actor) {
        List<FieldError> errors = new ArrayList<>();
        Optional<String> codeProblem = CreditCode.problem(r.code());
        codeProblem.ifPresent(p -> errors.add(new FieldError("code", p)));
        names(r.name(), r.nameEn(), errors);
        reason(r.reason(), errors);
        Region region = r.regionCode() == null ? null : Region.<Region>findById(r.regionCode());
        if (region == null) {
            errors.add(new FieldError("regionCode", "行政区划不存在 / no region with this GB/T 2260 code"));
        }
        if (r.level() == null) {
            errors.add(new FieldError("level", "层级必填 / level is required: " + Arrays.toString(AdminLevel.values())));
        } else if (region != null && region.level != r.level()) {
            // the level filter, the parent rule and the services' region checks read the level as the region's
            errors.add(new FieldError("level", "层级须与所属行政区划一致：" + region.code + "（" + region.name + "）为 "
                    + region.level + " / the level must be the level of the region: " + region.code + " is "
                    + region.level));
        }
        if (r.kind() == null) {
            errors.add(new FieldError("kind", "类别必填 / kind is required: " + Arrays.toString(DepartmentKind.values())));
        }
        Department parent = r.parentCode() == null ? null : parent(r.parentCode(), r.level(), null, errors);
        if (!errors.isEmpty()) {
            throw ApiException.fields(errors);
        }
        String code = CreditCode.normalise(r.code());
        if (Department.count("code", code) > 0) {
            throw conflict("code", "统一社会信用代码已登记 / a department with this code is registered");
        }
        if (r.competentAuthority() && Department.count("regionCode = ?1 and competentAuthority = true",
                r.regionCode()) > 0) {
            throw conflict("competentAuthority", "该行政区划已有政务数据共享主管部门 / the region already has a "
                    + "competent authority");
        }
        Department d = new Department();
        d.code = code;
        d.name = r.name().trim();
        d.nameEn = blankToNull(r.nameEn());
        d.regionCode = r.regionCode();
        d.parentId = parent == null ? null : parent.id;
        d.level = r.level();
        d.kind = r.kind();
        d.competentAuthority = r.competentAuthority();
        save(d);
        audit.recordInTransaction("DEPARTMENT_CREATED", actor, d.code, null, null, "name=" + d.name + " region="
                + d.regionCode + " level=" + d.level + " kind=" + d.kind + " parent=" + r.parentCode()
                + (d.competentAuthority ? " competentAuthority" : "") + "; reason: " + r.reason().trim());
        return d;
    }

    /** Changes names, parent and kind; {@code version} must be the one the caller read. */
    @Transactional
    public Department update(String code, long version, Change r, String actor) {
        Department d = department(code);
        List<FieldError> errors = new ArrayList<>();
        names(r.name(), r.nameEn(), errors);
        reason(r.reason(), errors);
        if (r.kind() == null) {
            errors.add(new FieldError("kind", "类别必填 / kind is required: " + Arrays.toString(DepartmentKind.values())));
        }
        Department parent = r.parentCode() == null ? null : parent(r.parentCode(), d.level, d, errors);
        if (!errors.isEmpty()) {
            throw ApiException.fields(errors);
        }
        fresh(d, version);
        if (!d.active) {
            throw ApiException.illegalTransition("部门已撤销 / the department is deactivated");
        }
        String oldParent = d.parentId == null ? null : Department.<Department>findById(d.parentId).code;
        String newParent = parent == null ? null : parent.code;
        StringBuilder what = new StringBuilder();
        String name = r.name().trim();
        String nameEn = blankToNull(r.nameEn());
        changed(what, "name", d.name, name);
        changed(what, "nameEn", d.nameEn, nameEn);
        changed(what, "parent", oldParent, newParent);
        changed(what, "kind", d.kind, r.kind());
        d.name = name;
        d.nameEn = nameEn;
        d.parentId = parent == null ? null : parent.id;
        d.kind = r.kind();
        d.updatedAt = OffsetDateTime.now();
        save(d);
        audit.recordInTransaction("DEPARTMENT_UPDATED", actor, d.code, null, null,
                (what.length() == 0 ? "no change" : what.toString().trim()) + "; reason: " + r.reason().trim());
        return d;
    }

    /**
     * Deactivates (撤销) a department: it stays in the registry for what refers to it, but gets no new staff, no
     * new sub-departments and no further changes. One with active sub-departments cannot be deactivated, nor the
     * one whose deactivation would leave no administrator who can act ({@link Administrators}).
     * <p>
     * Its staff's tokens carry the department and the staff roles held in it; new ones would not, but those already
     * issued would keep both until they expire, at the catalog and the exchange too. So every grant of its staff is
     * revoked in the same transaction, as when a role is taken away ({@link AccountService#setRoles}): refresh tokens
     * stop working, access tokens fail introspection and are on the revocation list. The sign-in sessions stay: the
     * next code carries the account as it is now. Each account's revoked grants are named in a {@code TOKEN_REVOKED}
     * row of its own trail, and the department's row counts them. Its clients' client-credentials grants are revoked
     * too ({@link ClientCredentialsGrants}): the department systems' tokens issued before end at once, and stay
     * refused after a reactivation.
     */
    @Transactional
    public Department deactivate(String code, long version, String reason, String actor) {
        Department d = checkDeactivation(code, version, reason);
        d.active = false;
        d.deactivatedAt = OffsetDateTime.now();
        d.updatedAt = d.deactivatedAt;
        save(d);
        forgetClientsOf(d);
        java.util.SortedMap<java.util.UUID, List<java.util.UUID>> revoked = grants.revokeDepartmentStaff(d.id,
                "department_deactivated");
        // department systems: their tokens carry the department and the roles it registered them with
        int clientGrants = clientCredentials.revokeDepartment(d.id, "department_deactivated");
        int count = 0;
        for (var account : revoked.entrySet()) {
            List<java.util.UUID> ids = account.getValue();
            count += ids.size();
            for (int from = 0; from < ids.size(); from += GRANTS_PER_ROW) {
                audit.recordInTransaction("TOKEN_REVOKED", actor, account.getKey().toString(), null, null,
                        "department=" + d.code + " deactivated grants=" + ids.subList(from,
                                Math.min(ids.size(), from + GRANTS_PER_ROW)));
            }
        }
        audit.recordInTransaction("DEPARTMENT_DEACTIVATED", actor, d.code, null, null,
                "name=" + d.name + " grants revoked=" + count + " accounts=" + revoked.size()
                        + " client grants revoked=" + clientGrants + "; reason: " + reason.trim());
        return d;
    }

    /**
     * Reactivates (恢复) a deactivated department: its staff's tokens carry it and its roles again, its clients get
     * client-credentials tokens again, and it takes new staff, clients and sub-departments. Its parent, if any, must
     * be active (reactivate that first).
     */
    @Transactional
    public Department reactivate(String code, long version, String reason, String actor) {
        Department d = checkReactivation(code, version, reason);
        d.active = true;
        d.deactivatedAt = null;
        d.updatedAt = OffsetDateTime.now();
        save(d);
        forgetClientsOf(d);
        audit.recordInTransaction("DEPARTMENT_REACTIVATED", actor, d.code, null, null,
                "name=" + d.name + "; reason: " + reason.trim());
        return d;
    }

    /**
     * Checks a deactivation as {@link #deactivate} makes it ({@code 400}, {@code 404}, {@code 409}), changing nothing:
     * the department. Also what a deactivation waiting for a second administrator is checked by when asked for.
     */
    @Transactional
    public Department checkDeactivation(String code, long version, String reason) {
        Department d = forStatusChange(code, version, reason);
        if (!d.active) {
            throw ApiException.illegalTransition("部门已撤销 / the department is already deactivated");
        }
        Administrators.requireOneOutside(d);
        long children = Department.count("parentId = ?1 and active = true", d.id);
        if (children > 0) {
            throw ApiException.illegalTransition("该部门下仍有" + children + "个在用的下级部门 / " + children
                    + " active sub-department(s): move or deactivate them first");
        }
        return d;
    }

    /** Checks a reactivation as {@link #reactivate} makes it, changing nothing: the department. */
    @Transactional
    public Department checkReactivation(String code, long version, String reason) {
        Department d = forStatusChange(code, version, reason);
        if (d.active) {
            throw ApiException.illegalTransition("部门未撤销 / the department is active");
        }
        Department parent = d.parentId == null ? null : Department.findById(d.parentId);
        if (parent != null && !parent.active) {
            throw new ApiException(ProblemType.ILLEGAL_TRANSITION, "上级部门 " + parent.code + "（" + parent.name
                    + "）已撤销，须先恢复 / the parent department " + parent.code + " is deactivated: reactivate it first",
                    List.of(), Map.of("parentCode", parent.code), Map.of());
        }
        return d;
    }

    /** The department to deactivate or reactivate: the reason given, the version the caller read. */
    private Department forStatusChange(String code, long version, String reason) {
        Department d = department(code);
        List<FieldError> errors = new ArrayList<>();
        reason(reason, errors);
        if (!errors.isEmpty()) {
            throw ApiException.fields(errors);
        }
        fresh(d, version);
        return d;
    }

    /** The department's clients are read again at their next token request (other replicas: within the cache TTL). */
    private void forgetClientsOf(Department d) {
        for (OAuthClient c : OAuthClient.<OAuthClient>list("departmentId", d.id)) {
            clients.invalidate(c.clientId);
        }
    }

    /** The parent by code: it exists, is active, at the same or a higher level, and is not below {@code self}. */
    private static Department parent(String parentCode, AdminLevel level, Department self, List<FieldError> errors) {
        Optional<String> problem = CreditCode.problem(parentCode);
        if (problem.isPresent()) {
            errors.add(new FieldError("parentCode", problem.get()));
            return null;
        }
        Department parent = Department.find("code", CreditCode.normalise(parentCode)).firstResult();
        if (parent == null) {
            errors.add(new FieldError("parentCode", "上级部门不存在 / no department with this code"));
            return null;
        }
        if (!parent.active) {
            errors.add(new FieldError("parentCode", "上级部门已撤销 / the parent department is deactivated"));
        }
        if (level != null && parent.level.ordinal() > level.ordinal()) {
            errors.add(new FieldError("parentCode", "上级部门层级不能低于本部门 / the parent must be at the same or a "
                    + "higher level (" + parent.level + " is below " + level + ")"));
        }
        if (self != null) {
            Set<Long> seen = new HashSet<>();
            for (Department up = parent; up != null && seen.add(up.id);
                    up = up.parentId == null ? null : Department.findById(up.parentId)) {
                if (up.id.equals(self.id)) {
                    errors.add(new FieldError("parentCode",
                            "上级部门不能是本部门或其下级 / the parent cannot be the department itself or below it"));
                    break;
                }
            }
        }
        return parent;
    }

    /** A 409 naming the field whose value is taken. */
    private static ApiException conflict(String field, String message) {
        return new ApiException(ProblemType.CONFLICT, message, List.of(new FieldError(field, message)), Map.of(),
                Map.of());
    }

    /** Writes now, so a concurrent change or a duplicate shows as a conflict rather than at commit. */
    private static void save(Department d) {
        try {
            d.persistAndFlush();
        } catch (OptimisticLockException e) {
            throw new ApiException(ProblemType.STALE_VERSION, "部门已被他人修改，请刷新后重试 / the department was "
                    + "changed meanwhile");
        } catch (PersistenceException e) {
            throw ApiException.conflict("与同时进行的变更冲突 / conflicts with a concurrent change: "
                    + "the code or the region's competent authority is taken");
        }
    }

    private static void fresh(Department d, long version) {
        if (d.version != version) {
            throw new ApiException(ProblemType.STALE_VERSION, "部门已被他人修改（当前版本 " + d.version
                    + "），请刷新后重试 / the department was changed meanwhile (now version " + d.version + ")");
        }
    }

    private static void names(String name, String nameEn, List<FieldError> errors) {
        if (!PrintableText.hasVisibleText(name) || name.trim().length() > MAX_NAME) {
            errors.add(new FieldError("name", PrintableText.missingMessage(name, "名称必填，最多200字 / name is required (max 200)")));
        } else if (!PrintableText.printableLine(name)) {
            errors.add(new FieldError("name", PrintableText.MESSAGE));
        }
        if (nameEn != null && nameEn.trim().length() > MAX_NAME) {
            errors.add(new FieldError("nameEn", "英文名称最多200字 / the English name is at most 200 characters"));
        } else if (!PrintableText.printableLine(nameEn)) {
            errors.add(new FieldError("nameEn", PrintableText.MESSAGE));
        }
    }

    private static void reason(String reason, List<FieldError> errors) {
        if (!PrintableText.hasVisibleText(reason) || reason.trim().length() > MAX_REASON) {
            errors.add(new FieldError("reason", PrintableText.missingMessage(reason,
                    "须说明变更理由，最多500字 / reason is required (max 500)")));
        } else if (!PrintableText.printableLine(reason)) {
            errors.add(new FieldError("reason", PrintableText.MESSAGE));
        }
    }

    private static void changed(StringBuilder what, String field, Object before, Object after) {
        if (!Objects.equals(before, after)) {
            what.append(field).append(": ").append(before).append(" -> ").append(after).append(' ');
        }
    }

    private static String blankToNull(String value) {
        return PrintableText.hasVisibleText(value) ? value.trim() : null;
    }

    public List<Region> regions() {
        return Region.listAll(Sort.by("code"));
    }

    public Region region(String code) {
        return Region.<Region>findByIdOptional(code)
                .orElseThrow(() -> ApiException.notFound("行政区划不存在 / no region with code " + code));
    }
}
