package cn.onenet.identity.service;

import java.util.List;
import java.util.Set;

import com.nimbusds.jose.jwk.JWKSet;

/**
 * An OAuth client as the protocol code sees it (immutable, cached). {@code departmentDeactivated}: its department is
 * deactivated (撤销), so it gets no client-credentials tokens ({@code departmentCode} is then null).
 * {@code pkceRequired}: its authorization requests must carry an S256 challenge (see {@link #needsPkce}).
 */
public record RegisteredClient(String clientId, String name, String secretHash, String authMethod,
        Set<String> grantTypes, List<String> redirectUris, List<String> postLogoutRedirectUris,
        String backchannelLogoutUri, Set<String> scopes, List<String> audiences, List<String> roles,
        String departmentCode, String regionCode, boolean firstParty, JWKSet jwks, String jwksUri, String signingAlg,
        int minLevel, boolean enabled, boolean departmentDeactivated, boolean pkceRequired) {

    /**
     * Whether an authorization request of this client needs PKCE: unless turned off for it, and always for a client
     * that does not authenticate at the token endpoint (a public client), for which PKCE is the only binding of the
     * code to whoever asked for it.
     */
    public boolean needsPkce() {
        return pkceRequired || authMethod == null || !ClientService.METHODS.contains(authMethod);
    }

    public boolean allowsGrant(String grantType) {
        return grantTypes.contains(grantType);
    }
}
