package cn.onenet.catalog.service;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import cn.onenet.catalog.client.IdentityClient;
import cn.onenet.catalog.client.IdentityClient.RegisteredDepartment;
import cn.onenet.common.identifiers.CreditCode;
import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.ProblemType;

/**
 * Looks a department up in identity-service's department register, the one list of departments, their names and
 * regions: the catalogue itself only knows the departments that already have entries (a department whose old
 * catalogue is migrated has none yet), and an entry's provider is named as the register names it. Fails closed: when the register cannot answer, nothing is done for the department.
 */
@ApplicationScoped
public class DepartmentRegister {

    private static final Logger LOG = Logger.getLogger(DepartmentRegister.class);

    private final IdentityClient client;

    public DepartmentRegister(@RestClient IdentityClient client) {
        this.client = client;
    }

    /**
     * The active department of the code (统一社会信用代码, as typed: full-width, lower case, spaces around it), named
     * by the request's {@code field}; 400 naming the field when the code is malformed, no department has it or the
     * department is deactivated (撤销: it keeps no catalogue), 503 when the register does not answer.
     */
    public RegisteredDepartment active(String field, String code) {
        String normalised = CreditCode.normalise(code);
        CreditCode.problem(normalised).ifPresent(p -> {
            throw ApiException.field(field, p);
        });
        RegisteredDepartment found = registered(normalised).orElse(null);
        if (found == null) {
            throw ApiException.field(field, "部门登记簿中没有统一社会信用代码为 " + normalised + " 的部门 / no department "
                    + "with the code " + normalised + " is registered");
        }
        if (!found.active()) {
            throw ApiException.field(field, found.name() + "（" + normalised + "）已撤销，不再维护目录 / the department "
                    + normalised + " is deactivated and keeps no catalogue");
        }
        if (found.regionCode() == null || found.regionCode().isBlank()) {
            throw unavailable(normalised, new IllegalStateException("no region in the register's answer"));
        }
        return found;
    }

    /**
     * The department the register holds under the code (stored form: upper case, no spaces), deactivated ones
     * included; empty when it holds none; 503 when the register does not answer.
     */
    public Optional<RegisteredDepartment> registered(String code) {
        RegisteredDepartment found;
        try {
            found = client.department(code);
        } catch (WebApplicationException e) {
            if (e.getResponse() != null && e.getResponse().getStatus() == 404) {
                return Optional.empty();
            }
            throw unavailable(code, e);
        } catch (RuntimeException e) {
            throw unavailable(code, e);
        }
        return found != null && code.equals(found.code()) ? Optional.of(found) : Optional.empty();
    }

    private static ApiException unavailable(String code, RuntimeException cause) {
        LOG.warnf("Department register lookup of %s failed: %s", cn.onenet.common.logging.LogText.escaped(code),
                cause.toString());
        return new ApiException(ProblemType.UNAVAILABLE, "无法向统一身份认证服务的部门登记簿核实部门 " + code + "，未作更改 / the "
                + "department register could not confirm the department " + code + ": nothing was changed",
                List.of(), Map.of(), Map.of());
    }
}
