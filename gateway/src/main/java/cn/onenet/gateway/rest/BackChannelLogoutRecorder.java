package cn.onenet.gateway.rest;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import cn.onenet.gateway.service.LoggedOutSessions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Watches identity-service's back-channel logouts of console sessions. quarkus-oidc verifies the logout token and
 * answers; only a 200 (a verified, accepted token) is remembered in {@link LoggedOutSessions}, so that a copied
 * session cookie stays refused after quarkus-oidc's own one-time record of the logout is used up.
 */
@ApplicationScoped
public class BackChannelLogoutRecorder {

    private final LoggedOutSessions loggedOut;
    private final Optional<String> path;

    public BackChannelLogoutRecorder(LoggedOutSessions loggedOut,
            @ConfigProperty(name = "quarkus.oidc.console.logout.backchannel.path") Optional<String> path) {
        this.loggedOut = loggedOut;
        this.path = path;
    }

    void register(@Observes Router router) {
        // before quarkus-oidc's own route for the path, which ends the request
        path.ifPresent(p -> router.post(p).order(Integer.MIN_VALUE + 30).handler(this::watch));
    }

    private void watch(RoutingContext rc) {
        rc.addHeadersEndHandler(ignored -> {
            if (rc.response().getStatusCode() == 200) {
                JsonObject claims = payload(rc.request().getFormAttribute("logout_token"));
                if (claims != null) {
                    loggedOut.backChannelLogout(claims.getValue("sid") instanceof String sid ? sid : null,
                            claims.getValue("sub") instanceof String sub ? sub : null);
                }
            }
        });
        rc.next();
    }

    /** The claims of a token quarkus-oidc has already verified (its signature is not checked again here). */
    private static JsonObject payload(String token) {
        String[] parts = token == null ? new String[0] : token.split("\\.");
        if (parts.length != 3) {
            return null;
        }
        try {
            return new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | DecodeException e) {
            return null;
        }
    }
}
