package cn.onenet.gateway.service;

import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.oidc.SecurityEvent;

/**
 * Says in one line when quarkus-oidc cannot reach identity-service (at start-up, while the services start in
 * parallel, or later) and when it can again, in place of quarkus-oidc's own warning (dropped by
 * {@code OidcUnavailableLogFilter}). Logged once per outage, not at each console request that tries again.
 */
@ApplicationScoped
public class IdentityReachability {

    private static final Logger LOG = Logger.getLogger(IdentityReachability.class);

    private final AtomicBoolean unreachable = new AtomicBoolean();

    void onOidcServer(@Observes SecurityEvent event) {
        Object url = event.getEventProperties().get(SecurityEvent.AUTH_SERVER_URL);
        if (event.getEventType() == SecurityEvent.Type.OIDC_SERVER_NOT_AVAILABLE) {
            if (unreachable.compareAndSet(false, true)) {
                LOG.warnf("identity-service not reachable (yet) at %s: the console's sign-in answers 503 until it is",
                        url);
            }
        } else if (event.getEventType() == SecurityEvent.Type.OIDC_SERVER_AVAILABLE) {
            if (unreachable.compareAndSet(true, false)) {
                LOG.infof("identity-service reachable at %s: the console's sign-in works", url);
            }
        }
    }
}
