package cn.onenet.exchange.rest;

import java.util.HashSet;
import java.util.Set;

import jakarta.enterprise.context.RequestScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import cn.onenet.exchange.service.Caller;
import io.quarkus.security.identity.SecurityIdentity;

/** The {@link Caller} of the current request, from the verified access token. */
@RequestScoped
public class CurrentCaller {

    private final SecurityIdentity identity;
    private Caller caller;

    public CurrentCaller(SecurityIdentity identity) {
        this.identity = identity;
    }

    public Caller get() {
        if (caller == null) {
            caller = build();
        }
        return caller;
    }

    private Caller build() {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return new Caller(null, null, null, Set.of(), null, null);
        }
        return new Caller(jwt.getSubject(), claim(jwt, "client_id"), claim(jwt, "dept"),
                new HashSet<>(identity.getRoles()), claim(jwt, "cn_id"), claim(jwt, "uscc"), claim(jwt, "region"));
    }

    private static String claim(JsonWebToken jwt, String name) {
        Object value = jwt.getClaim(name);
        if (value == null) {
            return null;
        }
        String s = value.toString();
        return s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }
}
