package cn.onenet.exchange.rest;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import cn.onenet.exchange.config.ExchangeConfig;
import cn.onenet.exchange.service.Caller;
import cn.onenet.exchange.service.NoticeService;
import cn.onenet.exchange.service.Regions;

/** Notices to the caller's department and, for reviewers, to the 主管部门 of their region. */
@Path("/api/exchange/v1/notices")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "notices", description = "通知 (notices)")
public class NoticeResource {

    private final NoticeService notices;
    private final CurrentCaller caller;
    private final ExchangeConfig config;

    public NoticeResource(NoticeService notices, CurrentCaller caller, ExchangeConfig config) {
        this.notices = notices;
        this.caller = caller;
        this.config = config;
    }

    @GET
    @RolesAllowed({ "operator", "system", "reviewer", "admin", "auditor" })
    @Operation(summary = "Latest notices to the caller's department (the 主管部门's, for its reviewers); reviewers also "
            + "get the notices to the 主管部门 of their token's region (regionCode set), e.g. a dispute routed there.")
    public List<Views.NoticeView> list() {
        Caller c = caller.get();
        String dept = c.department() == null && c.isAuthority() ? config.competentAuthorityDepartment()
                : c.departmentOrFail();
        String region = c.has("reviewer") ? Regions.authorityRegion(c.region()) : null;
        return notices.latest(dept, region, 100).stream().map(Views.NoticeView::of).toList();
    }
}
