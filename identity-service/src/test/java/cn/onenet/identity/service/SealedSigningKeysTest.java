package cn.onenet.identity.service;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.SignedJWT;

import cn.onenet.identity.config.IdentityConfig;
import cn.onenet.testsupport.PostgresTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Private signing keys are stored sealed; tokens still verify; clear rows are sealed; a wrong KEK stops the start. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class SealedSigningKeysTest {

    @Inject
    AgroalDataSource db;
    @Inject
    KeyService keys;
    @Inject
    IdentityConfig config;

    @Test
    void theKeyColumnHoldsNoPrivateKeyMaterialAndTokensVerifyAgainstJwks() throws Exception {
        Map<String, String> stored = storedKeys();
        assertFalse(stored.isEmpty());
        for (Map.Entry<String, String> row : stored.entrySet()) {
            String value = row.getValue();
            assertTrue(value.startsWith("enc:v1:1:"), row.getKey() + " is not sealed: " + value);
            for (String member : List.of("\"d\"", "\"p\"", "\"q\"", "\"dp\"", "\"dq\"", "\"qi\"", "\"kty\"", "{")) {
                assertFalse(value.contains(member), row.getKey() + " holds " + member + " in clear");
            }
        }
        String token = given().auth().preemptive().basic("catalog-service", "demo-catalog-secret")
                .contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .post("/oidc/token").then().statusCode(200).extract().path("access_token");
        SignedJWT jwt = SignedJWT.parse(token);
        JWKSet published = JWKSet.parse(given().get("/oidc/jwks").asString());
        RSAKey key = (RSAKey) published.getKeyByKeyId(jwt.getHeader().getKeyID());
        assertFalse(key.isPrivate(), "JWKS must publish public keys only");
        assertTrue(jwt.verify(new RSASSAVerifier(key)));
    }

    @Test
    void aKeyStoredInClearIsSealedAndStillPublished() throws Exception {
        RSAKey legacy = new RSAKeyGenerator(2048).keyID("rs256-legacy-" + System.nanoTime()).keyUse(KeyUse.SIGNATURE)
                .algorithm(JWSAlgorithm.RS256).generate();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO signing_key "
                + "(kid, alg, jwk, status, retired_at, remove_after) VALUES (?, 'RS256', ?, 'RETIRED', now(), "
                + "now() + interval '10 minutes')")) {
            ps.setString(1, legacy.getKeyID());
            ps.setString(2, legacy.toJSONString());
            ps.executeUpdate();
        }
        try {
            assertTrue(keys.sealStoredKeys() >= 1);
            String value = storedKeys().get(legacy.getKeyID());
            assertTrue(value.startsWith("enc:v1:1:") && !value.contains("\"d\""), value);
            keys.reload();
            JWKSet published = JWKSet.parse(given().get("/oidc/jwks").asString());
            assertEquals(legacy.toPublicJWK(), published.getKeyByKeyId(legacy.getKeyID()));
        } finally {
            try (Connection c = db.getConnection();
                    PreparedStatement ps = c.prepareStatement("DELETE FROM signing_key WHERE kid = ?")) {
                ps.setString(1, legacy.getKeyID());
                ps.executeUpdate();
            }
            keys.reload();
        }
    }

    @Test
    void aWrongKeyEncryptionKeyStopsTheStartWithAClearMessage() throws Exception {
        Map<String, String> before = storedKeys();
        String otherKek = java.util.Base64.getEncoder().encodeToString(Secrets.randomBytes(32));
        KeyService wrong = new KeyService(config, new KeyEncryption("1", otherKek, List.of()));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> QuarkusTransaction.requiringNew()
                .run(() -> {
                    wrong.sealStoredKeys();
                    wrong.load(true);
                }));
        assertTrue(e.getMessage().matches("Signing key \\S+ does not open with key-encryption key id '1'.*"),
                e.getMessage());
        // a KEK id nobody configured: the same, naming the setting
        KeyService unknownId = new KeyService(config, new KeyEncryption("7", otherKek, List.of()));
        e = assertThrows(IllegalStateException.class, () -> QuarkusTransaction.requiringNew()
                .run(unknownId::sealStoredKeys));
        assertTrue(e.getMessage().contains("previous-encryption-keys"), e.getMessage());
        // nothing was changed by the failed attempts
        assertEquals(before, storedKeys());
    }

    @Test
    void theKeyEncryptionKeyCanBeRotated() throws Exception {
        String demoKek = config.keys().encryptionKey();
        String newKek = java.util.Base64.getEncoder().encodeToString(Secrets.randomBytes(32));
        KeyService rotated = new KeyService(config, new KeyEncryption("2", newKek, List.of("1:" + demoKek)));
        KeyService back = new KeyService(config, new KeyEncryption("1", demoKek, List.of("2:" + newKek)));
        try {
            int resealed = QuarkusTransaction.requiringNew().call(rotated::sealStoredKeys);
            assertEquals(storedKeys().size(), resealed);
            assertTrue(storedKeys().values().stream().allMatch(v -> v.startsWith("enc:v1:2:")));
            QuarkusTransaction.requiringNew().run(() -> rotated.load(true));
            assertFalse(rotated.publicKeys().getKeys().isEmpty());
        } finally {
            QuarkusTransaction.requiringNew().call(back::sealStoredKeys);
            keys.reload();
        }
        assertTrue(storedKeys().values().stream().allMatch(v -> v.startsWith("enc:v1:1:")));
    }

    private Map<String, String> storedKeys() throws SQLException {
        Map<String, String> rows = new LinkedHashMap<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT kid, jwk FROM signing_key ORDER BY kid"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.put(rs.getString(1), rs.getString(2));
            }
        }
        return rows;
    }
}
