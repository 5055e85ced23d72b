package cn.onenet.catalog.rest;

import java.util.Set;

import org.eclipse.microprofile.jwt.JsonWebToken;

import cn.onenet.catalog.service.Caller;
import cn.onenet.common.problem.ApiException;
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
        String subject = identity.getPrincipal().getName();
        if (subject != null && subject.codePointCount(0, subject.length()) > MAX_SUBJECT) {
            // the columns recording who acted hold 100 characters; an account id is not cut (two would become one)
            throw ApiException.forbidden("令牌的 sub 超过 " + MAX_SUBJECT + " 字 / the token's sub is longer than "
                    + MAX_SUBJECT + " characters");
        }
        if (name != null && name.codePointCount(0, name.length()) > MAX_NAME) {
            // shown beside the account id, never compared: kept as far as the history's column holds it
            name = name.substring(0, name.offsetByCodePoints(0, MAX_NAME));
        }
        return new Caller(subject, Set.copyOf(identity.getRoles()), dept, region, name, competentAuthority);
    }

    /** Longest account id ({@code sub}) accepted: the columns recording who acted hold 100 characters. */
    static final int MAX_SUBJECT = 100;

    /** Longest display name kept: the history's and the versions' name columns hold 200 characters. */
    static final int MAX_NAME = 200;

    private static String claim(JsonWebToken jwt, String name) {
        Object claim = jwt.getClaim(name);
        return claim == null ? null : claim.toString().replace("\"", "");
    }
}
