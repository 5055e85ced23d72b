package cn.onenet.exchange.rest;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import cn.onenet.common.problem.ApiException;
import cn.onenet.exchange.model.CatalogEntry;
import cn.onenet.exchange.service.SubjectHasher;
import cn.onenet.exchange.service.UsageLogService;

/** 我的数据使用记录: a citizen (cn_id) or an enterprise (uscc) sees every access to data about them. */
@Path("/api/exchange/v1/me/data-accesses")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "citizens", description = "数据使用记录查询 (citizens' view)")
public class CitizenResource {

    private final UsageLogService log;
    private final SubjectHasher hasher;
    private final CurrentCaller caller;

    public CitizenResource(UsageLogService log, SubjectHasher hasher, CurrentCaller caller) {
        this.log = log;
        this.hasher = hasher;
        this.caller = caller;
    }

    @GET
    @RolesAllowed({ "citizen", "enterprise" })
    @Operation(summary = "When, which department, which resource and items, purpose and legal basis. Covert "
            + "queries appear once their hiding date has passed. resourceCode is the code the access was logged "
            + "under; currentResourceCode the one the entry carries now (they differ after a reclassification).")
    public List<Map<String, Object>> mine() {
        String subject = caller.get().dataSubject();
        if (subject == null) {
            throw ApiException.forbidden("令牌中没有身份证号或信用代码 / the token carries no cn_id or uscc");
        }
        List<Map<String, Object>> rows = log.forSubject(hasher.hash(subject));
        // the log keeps the code of the time; a reclassified entry is found under its code of today
        Map<String, Optional<CatalogEntry>> entries = new HashMap<>();
        for (Map<String, Object> r : rows) {
            CatalogEntry e = entries.computeIfAbsent((String) r.get("resourceCode"),
                    code -> Optional.ofNullable(CatalogEntry.findCurrent(code))).orElse(null);
            r.put("resourceName", e == null ? null : e.name);
            r.put("currentResourceCode", e == null ? null : e.resourceCode);
        }
        return rows;
    }
}
