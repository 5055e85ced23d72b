package cn.onenet.exchange.rest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import cn.onenet.common.problem.ApiException;
import cn.onenet.exchange.config.ExchangeConfig;
import io.agroal.api.AgroalDataSource;

/**
 * Benchmark baseline only: a bare primary-key SELECT on the same stack (token check included), served only when
 * {@code exchange.bench.enabled=true}, to role {@code admin}. bench/run.sh compares the gateway path against it.
 */
@Path("/api/exchange/v1/bench/rows")
@Produces(MediaType.APPLICATION_JSON)
public class BenchResource {

    private final AgroalDataSource dataSource;
    private final ExchangeConfig config;

    public BenchResource(AgroalDataSource dataSource, ExchangeConfig config) {
        this.dataSource = dataSource;
        this.config = config;
    }

    @GET
    @Path("/{id}")
    @RolesAllowed("admin")
    @Operation(summary = "Benchmark baseline (disabled unless exchange.bench.enabled): one primary-key SELECT.")
    public Response row(@PathParam("id") long id) {
        if (!config.bench().enabled()) {
            throw ApiException.notFound("基准测试路由未启用 / the benchmark route is disabled");
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT data FROM bench_row WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ApiException.notFound("no row " + id);
                }
                return Response.ok(rs.getString(1)).build();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("bench select failed", e);
        }
    }
}
