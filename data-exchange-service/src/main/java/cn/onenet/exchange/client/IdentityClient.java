package cn.onenet.exchange.client;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * identity-service's department register, which is public ({@code GET /api/identity/v1/departments}): which
 * department is the 政务数据共享主管部门 of its region ({@code competentAuthority}, one per region).
 */
@RegisterRestClient(configKey = "identity")
@Path("/api/identity/v1")
public interface IdentityClient {

    /** Every department, deactivated ones included ({@code includeInactive=true}). */
    @GET
    @Path("/departments")
    @Produces(MediaType.APPLICATION_JSON)
    List<RegisteredDepartment> departments(@QueryParam("includeInactive") String includeInactive);

    /** The fields of identity-service's {@code DepartmentView} the exchange keeps. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record RegisteredDepartment(String code, String name, String regionCode, boolean competentAuthority,
            boolean active) {
    }
}
