package cn.onenet.catalog.client;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * identity-service's department and region registers, which are public ({@code GET /api/identity/v1/departments/{code}},
 * {@code /regions}, no token): the department an admin imports a catalogue for, with its name and region; the names of
 * the regions the DCAT-AP export names.
 */
@RegisterRestClient(configKey = "identity")
@Path("/api/identity/v1")
public interface IdentityClient {

    /** One department by its 统一社会信用代码, deactivated ones included; 404 when none is registered. */
    @GET
    @Path("/departments/{code}")
    @Produces(MediaType.APPLICATION_JSON)
    RegisteredDepartment department(@PathParam("code") String code);

    /** The region register (行政区划, GB/T 2260), every region. */
    @GET
    @Path("/regions")
    @Produces(MediaType.APPLICATION_JSON)
    List<RegisteredRegion> regions();

    /** The fields of identity-service's {@code RegionView} the catalogue reads. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record RegisteredRegion(String code, String name) {
    }

    /** The fields of identity-service's {@code DepartmentView} the catalogue reads. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record RegisteredDepartment(String code, String name, String regionCode, boolean active) {
    }
}
