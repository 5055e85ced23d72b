package cn.onenet.identity.oidc;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;

import cn.onenet.identity.model.OAuthClient;
import cn.onenet.identity.service.ClientService;

/** Registers the relying parties the tests play, through the same service the admin API uses. */
@ApplicationScoped
public class TestClients {

    public static final String SECRET = "test-secret-0123456789abcdef";
    public static final RSAKey JWT_KEY;

    static {
        try {
            JWT_KEY = new RSAKeyGenerator(2048).keyID("rp-key-1").keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private final ClientService clients;

    public TestClients(ClientService clients) {
        this.clients = clients;
    }

    @Transactional
    public void ensure(String backchannelUri) {
        web("test-web", "client_secret_basic", true, backchannelUri, null);
        web("test-post", "client_secret_post", true, null, null);
        web("test-third", "client_secret_basic", false, null, null);
        web("test-es256", "client_secret_basic", true, null, "ES256");
        if (OAuthClient.findById("test-jwt") == null) {
            clients.create(new ClientService.Registration("test-jwt", "private_key_jwt RP", "private_key_jwt",
                    List.of("authorization_code", "client_credentials"), List.of(OidcFlow.REDIRECT), null, null,
                    List.of("openid", "profile", "catalog"), List.of("onenet-catalog"), List.of("system"),
                    "11330000002481020A", false, "{\"keys\":[" + JWT_KEY.toPublicJWK().toJSONString() + "]}", null,
                    null, null), null, "test");
        }
    }

    /** A first-party {@code client_secret_basic} client {@code id} with the secret {@code secret}. */
    @Transactional
    public void withSecret(String id, String secret) {
        web(id, "client_secret_basic", true, null, null, secret);
    }

    /** A first-party {@code client_secret_basic} client {@code id} whose back-channel logout URI is {@code uri}. */
    @Transactional
    public void withBackchannel(String id, String uri) {
        web(id, "client_secret_basic", true, uri, null);
    }

    /** A first-party {@code client_secret_basic} client {@code id} that may also ask for the {@code phone} scope. */
    @Transactional
    public void withPhoneScope(String id) {
        web(id, "client_secret_basic", true, null, null, SECRET,
                List.of("openid", "profile", "email", "phone", "id_number", "catalog"));
    }

    private void web(String id, String method, boolean firstParty, String backchannel, String alg) {
        web(id, method, firstParty, backchannel, alg, SECRET);
    }

    private void web(String id, String method, boolean firstParty, String backchannel, String alg, String secret) {
        web(id, method, firstParty, backchannel, alg, secret, List.of("openid", "profile", "email", "id_number",
                "catalog"));
    }

    private void web(String id, String method, boolean firstParty, String backchannel, String alg, String secret,
            List<String> scopes) {
        if (OAuthClient.findById(id) != null) {
            return;
        }
        clients.create(new ClientService.Registration(id, "测试应用 " + id, method,
                List.of("authorization_code", "refresh_token", "client_credentials"), List.of(OidcFlow.REDIRECT),
                List.of("http://127.0.0.1:9/bye"), backchannel, scopes,
                firstParty ? List.of("onenet-catalog", "onenet-exchange", "onenet-identity")
                        : List.of("onenet-catalog", "onenet-exchange"),
                List.of("system"), null, firstParty, null, null, alg,
                null), secret, "test");
    }
}
