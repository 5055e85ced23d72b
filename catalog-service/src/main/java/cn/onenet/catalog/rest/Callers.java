package cn.onenet.catalog.rest;

import java.util.Set;

import org.eclipse.microprofile.jwt.JsonWebToken;

import cn.onenet.catalog.service.Caller;
import io.quarkus.security.identity.SecurityIdentity;

/** Turns the validated access token into a {@link Caller}. */
final class Callers {

    private Callers() {
    }

    static Caller of(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return Caller.anonymous();
        }
        String dept = null;
        String region = null;
        String name = null;
        boolean competentAuthority = false;
        if (identity.getPrincipal() instanceof JsonWebToken jwt) {
            dept = claim(jwt, "dept");
            region = claim(jwt, "region");
            name = claim(jwt, "name");
            if (name == null) {
                name = claim(jwt, "preferred_username");
            }
            competentAuthority = Boolean.TRUE.equals(jwt.getClaim("competent_authority"))
                    || "true".equals(claim(jwt, "competent_authority"));
        }
        return new Caller(identity.getPrincipal().getName(), Set.copyOf(identity.getRoles()), dept, region, name,
                competentAuthority);
    }

    private static String claim(JsonWebToken jwt, String name) {
        Object claim = jwt.getClaim(name);
        return claim == null ? null : claim.toString().replace("\"", "");
    }
}
