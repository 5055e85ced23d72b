package cn.onenet.identity.service;

import java.util.List;
import java.util.Set;

import com.nimbusds.jose.jwk.JWKSet;

/**
 * An OAuth client as the protocol code sees it (immutable, cached). {@code departmentDeactivated}: its department is
 * deactivated (撤销), so it gets no client-credentials tokens ({@code departmentCode} is then null).
 */
public record RegisteredClient(String clientId, String name, String secretHash, String authMethod,
        Set<String> grantTypes, List<String> redirectUris, List<String> postLogoutRedirectUris,
        String backchannelLogoutUri, Set<String> scopes, List<String> audiences, List<String> roles,
        String departmentCode, String regionCode, boolean firstParty, JWKSet jwks, String jwksUri, String signingAlg,
        int minLevel, boolean enabled, boolean departmentDeactivated) {

    public boolean allowsGrant(String grantType) {
        return grantTypes.contains(grantType);
    }
}
