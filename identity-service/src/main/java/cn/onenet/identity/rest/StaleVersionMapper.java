package cn.onenet.identity.rest;

import java.util.List;
import java.util.Map;

import jakarta.persistence.OptimisticLockException;
import jakarta.transaction.RollbackException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.hibernate.StaleStateException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import cn.onenet.common.problem.ProblemMappers;
import cn.onenet.common.problem.ProblemResponses;
import cn.onenet.common.problem.ProblemType;
import io.quarkus.arc.ArcUndeclaredThrowableException;

/**
 * A versioned row (account, client, delegation, department) changed by someone else between reading and writing it,
 * found when the write is flushed, often only at commit: {@code 409 stale-version}, as an explicit version check
 * answers, rather than a 500. Nothing was changed; the caller reads again and retries. A conflict found at commit
 * reaches here wrapped (the commit's {@link RollbackException}, inside Arc's wrapper for checked exceptions), so the
 * causes are looked through; anything else stays common's 500. Here rather than in common's {@link ProblemMappers},
 * which serve services without JPA too.
 */
public class StaleVersionMapper {

    private static final Logger LOG = Logger.getLogger(StaleVersionMapper.class);
    private static final ProblemMappers OTHERS = new ProblemMappers();

    @ServerExceptionMapper({ OptimisticLockException.class, StaleStateException.class,
            ArcUndeclaredThrowableException.class, RollbackException.class })
    public Response stale(Exception e, HttpHeaders headers, UriInfo uri) {
        if (!isStale(e)) {
            return OTHERS.unexpected(e, headers, uri);
        }
        String path = uri == null ? null : uri.getPath();
        LOG.infof("Concurrent change answering %s: %s", cn.onenet.common.logging.LogText.escaped(path), e.getMessage());
        return ProblemResponses.response(ProblemType.STALE_VERSION, "数据已被他人同时修改，未作更改，请刷新后重试 / "
                + "changed by someone else at the same time; nothing was changed, read it again and retry", path,
                List.of(), Map.of(), Map.of(), headers);
    }

    /** Whether the failure is, or was caused by, a version conflict. */
    static boolean isStale(Throwable e) {
        Throwable t = e;
        for (int depth = 0; t != null && depth < 20; depth++, t = t.getCause()) {
            if (t instanceof OptimisticLockException || t instanceof StaleStateException) {
                return true;
            }
        }
        return false;
    }
}
