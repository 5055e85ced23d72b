package cn.onenet.exchange.rest;

import java.util.Set;

import jakarta.enterprise.context.RequestScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwt.JwtClaims;

import cn.onenet.common.identifiers.CreditCode;
import cn.onenet.common.problem.ApiException;
import cn.onenet.exchange.service.Caller;
import cn.onenet.exchange.service.RealNameLevel;
import io.quarkus.oidc.runtime.OidcJwtCallerPrincipal;
import io.quarkus.security.identity.SecurityIdentity;

/** The {@link Caller} of the current request, from the verified access token. */
@RequestScoped
public class CurrentCaller {

    private final SecurityIdentity identity;
    private final RealNameLevel levels;
    private Caller caller;
    /** The token's acr; whether it names an agent (act); the acr inside act, if any. */
    private String acr;
    private boolean agent;
    private String agentAcr;

    public CurrentCaller(SecurityIdentity identity, RealNameLevel levels) {
        this.identity = identity;
        this.levels = levels;
    }

    public Caller get() {
        if (caller == null) {
            caller = build();
        }
        return caller;
    }

    /**
     * The caller of a view keyed on its own {@code cn_id} or {@code uscc} (who used my data, my complaints): refused,
     * 403 naming {@code requiredAcr}, when its real-name level (an agent's own, for an enterprise) is below
     * {@code exchange.citizens-view.min-acr} ({@link RealNameLevel}).
     */
    public Caller dataSubject() {
        Caller c = get();
        levels.require(acr, agent, agentAcr);
        return c;
    }

    /**
     * As {@link #dataSubject()} for a citizen or an enterprise (a complainant reading its complaint); staff, who read
     * it as a department or the 主管部门, are not asked for a real-name level.
     */
    public Caller dataSubjectOrStaff() {
        Caller c = get();
        boolean staff = c.isAuthority() || c.has("operator");
        return !staff && (c.has("citizen") || c.has("enterprise")) ? dataSubject() : c;
    }

    private Caller build() {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return new Caller(null, null, null, Set.of(), null, null);
        }
        // quarkus-oidc's principal keeps the verified claim set: reading it directly skips the JSON-P conversion that
        // JsonWebToken.getClaim performs on every call (a measurable part of a keyed lookup's CPU)
        JwtClaims claims = jwt instanceof OidcJwtCallerPrincipal oidc ? oidc.getClaims() : null;
        // a code is the same code in either letter case: kept and compared in the register's form (upper case)
        String dept = CreditCode.normalise(claim(jwt, claims, "dept"));
        if (dept != null && !isCreditCode(dept)) {
            // every department column holds a 统一社会信用代码; anything else is refused here, never at the database
            throw ApiException.forbidden("令牌的部门 (dept) 不是 18 位统一社会信用代码 / the token's dept is not an "
                    + "18-character unified social credit code");
        }
        acr = claim(jwt, claims, "acr");
        Object act = claims != null ? claims.getClaimValue("act") : jwt.getClaim("act");
        agent = act != null;
        agentAcr = act instanceof java.util.Map<?, ?> m ? text(m.get("acr")) : null;
        String sub = claim(jwt, claims, "sub");
        String clientId = claim(jwt, claims, "client_id");
        if (longerThanColumn(sub) || longerThanColumn(clientId)) {
            // the columns recording who acted hold 200 characters; an identity is not cut (two would become one)
            throw ApiException.forbidden("令牌的 sub 或 client_id 超过 " + MAX_IDENTITY + " 字 / the token's sub or "
                    + "client_id is longer than " + MAX_IDENTITY + " characters");
        }
        return new Caller(sub, clientId, dept,
                Set.copyOf(identity.getRoles()), claim(jwt, claims, "cn_id"), claim(jwt, claims, "uscc"),
                claim(jwt, claims, "region"), name(jwt, claims),
                "true".equals(claim(jwt, claims, "competent_authority")));
    }

    /**
     * 18 digits or capital letters (GB 32100-2015), once folded to upper case ({@link CreditCode#normalise}); the check
     * digit is identity-service's business.
     */
    static boolean isCreditCode(String s) {
        if (s.length() != 18) {
            return false;
        }
        for (int i = 0; i < 18; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z')) {
                return false;
            }
        }
        return true;
    }

    /** Longest {@code sub} or {@code client_id} accepted: the columns that record who acted hold 200 characters. */
    static final int MAX_IDENTITY = 200;

    private static boolean longerThanColumn(String s) {
        return s != null && s.length() > MAX_IDENTITY && s.codePointCount(0, s.length()) > MAX_IDENTITY;
    }

    /** Longest display name kept: the columns that record who approved or recorded hold 200 characters. */
    static final int MAX_NAME = 200;

    /**
     * identity-service's tokens carry {@code name}; other OpenID providers may carry only {@code preferred_username}.
     * A longer name is cut to {@value #MAX_NAME} characters (it is shown, never compared).
     */
    private static String name(JsonWebToken jwt, JwtClaims claims) {
        String name = claim(jwt, claims, "name");
        name = name != null && !name.isBlank() ? name : claim(jwt, claims, "preferred_username");
        if (name == null || name.codePointCount(0, name.length()) <= MAX_NAME) {
            return name;
        }
        return name.substring(0, name.offsetByCodePoints(0, MAX_NAME));
    }

    private static String claim(JsonWebToken jwt, JwtClaims claims, String name) {
        return text(claims != null ? claims.getClaimValue(name) : jwt.getClaim(name));
    }

    /** A claim's value as text: a JSON string without its quotes (a JSON-P value's toString keeps them). */
    private static String text(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof jakarta.json.JsonString j) {
            return j.getString();
        }
        String s = value.toString();
        return s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }
}
