package cn.onenet.catalog.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * identity-service's department register, which is public ({@code GET /api/identity/v1/departments/{code}}, no
 * token): the department an admin imports a catalogue for, with its name and region.
 */
@RegisterRestClient(configKey = "identity")
@Path("/api/identity/v1")
public interface IdentityClient {

    /** One department by its 统一社会信用代码, deactivated ones included; 404 when none is registered. */
    @GET
    @Path("/departments/{code}")
    @Produces(MediaType.APPLICATION_JSON)
    RegisteredDepartment department(@PathParam("code") String code);

    /** The fields of identity-service's {@code DepartmentView} the catalogue reads. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record RegisteredDepartment(String code, String name, String regionCode, boolean active) {
    }
}
