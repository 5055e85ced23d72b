package cn.onenet.exchange.rest;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import cn.onenet.common.problem.ProblemMappers;
import cn.onenet.common.problem.ProblemResponses;
import cn.onenet.common.problem.ProblemType;

/**
 * A transaction PostgreSQL aborted because of concurrent ones (a deadlock victim, a serialization failure) changed
 * nothing and may simply be sent again: 503 with Retry-After, not 500. Any other persistence failure stays a 500.
 */
public class ContentionMappers {

    private static final Logger LOG = Logger.getLogger(ContentionMappers.class);

    /** serialization_failure, deadlock_detected. */
    static final Set<String> RETRYABLE_STATES = Set.of("40001", "40P01");

    private final ProblemMappers problems = new ProblemMappers();

    @ServerExceptionMapper
    public Response persistence(PersistenceException e, HttpHeaders headers, UriInfo uri) {
        String state = retryableState(e);
        if (state == null) {
            return problems.unexpected(e, headers, uri);
        }
        LOG.warnf("Aborted by the database (SQLState %s) answering %s, the client is told to retry: %s", state,
                cn.onenet.common.logging.LogText.escaped(uri == null ? null : uri.getPath()), e.getMessage());
        return ProblemResponses.response(ProblemType.UNAVAILABLE,
                "与同时进行的操作冲突，未做任何更改，请稍后重试 / conflicted with concurrent changes, nothing was "
                        + "changed: retry",
                uri == null ? null : uri.getPath(), List.of(), Map.of(), Map.of("Retry-After", "1"), headers);
    }

    /** The SQLState of a retryable database failure behind {@code e}, or null. */
    static String retryableState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && RETRYABLE_STATES.contains(sql.getSQLState())) {
                return sql.getSQLState();
            }
        }
        return null;
    }
}
