package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.gm.GMNamedCurves;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.PlainDSAEncoding;
import org.bouncycastle.crypto.signers.SM2Signer;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWKSet;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.service.DemoData;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * SM2/SM3 seals (alg SM2SM3). The checks here use Bouncy Castle's SM2 directly on the published JWK (kty SM2,
 * x/y on sm2p256v1), nothing of the service's code.
 */
@QuarkusTest
class Sm2SealTest extends ExchangeTestBase {

    static final String SM2_PROVIDER = "11330000002481110K"; // exchange.seal.algorithm in the test profile
    static final String ENTRY = "330000-01-11/900401";
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anSm2SealedResponseVerifiesWithThePublishedKeyAndATamperedOneFails() throws Exception {
        FakeCatalog.add("PUBLISHED", ENTRY, "国密测试目录", SM2_PROVIDER, "UNCONDITIONAL", "LEVEL_2", "GMSFHM",
                List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", true),
                        Map.of("code", "XM", "name", "姓名", "sensitive", true)));
        replica.pollOnce();
        given().urlEncodingEnabled(false).auth().oauth2(operator(SM2_PROVIDER)).contentType(ContentType.JSON)
                .body(List.of(Map.of("GMSFHM", "33010619850312001X", "XM", "张伟")))
                .post("/api/exchange/v1/datasets/" + FakeCatalog.encoded(ENTRY) + "/records").then().statusCode(201);
        String consumer = operator(DemoData.CIVIL_AFFAIRS);
        RequestWorkflowTest.file(consumer, RequestWorkflowTest.body(ENTRY, List.of("GMSFHM", "XM"))).then()
                .statusCode(201).body("status", equalTo("GRANTED"));
        Response r = given().urlEncodingEnabled(false).auth().oauth2(consumer)
                .get(DeliveryTest.path(ENTRY, "33010619850312001X"));
        r.then().statusCode(200).body("record.XM", equalTo("张*"));
        String seal = r.header(DataResource.SEAL_HEADER);
        byte[] body = r.asByteArray();

        String jwksJson = given().get("/api/exchange/v1/seals/jwks").then().statusCode(200).extract().asString();
        String[] parts = seal.split("\\.");
        assertEquals(3, parts.length);
        assertEquals("", parts[1], "detached payload");
        Map<?, ?> header = JSON.readValue(Base64.getUrlDecoder().decode(parts[0]), Map.class);
        assertEquals("SM2SM3", header.get("alg"));
        assertEquals(SM2_PROVIDER, header.get("dept"));
        Map<?, ?> jwk = key(jwksJson, (String) header.get("kid"));
        assertEquals("SM2", jwk.get("kty"));
        assertEquals("SM2", jwk.get("crv"));
        assertEquals("SM2SM3", jwk.get("alg"));
        assertFalse(jwk.containsKey("d"), "no private part is published");

        assertTrue(sm2Verify(jwk, parts[0], body, parts[2]));
        byte[] tampered = r.asString().replace("张*", "李*").getBytes(StandardCharsets.UTF_8);
        assertFalse(sm2Verify(jwk, parts[0], tampered, parts[2]));
        // the auditor's program checks it offline too (SM2 and SM3 in plain Java)
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("sm2-answer");
        java.nio.file.Path keys = java.nio.file.Files.writeString(dir.resolve("seals-jwks.json"), jwksJson);
        cn.onenet.exchange.VerifierCli.Run run = cn.onenet.exchange.VerifierCli.run("verify-seal", keys,
                java.nio.file.Files.write(dir.resolve("record.json"), body), seal);
        assertEquals(0, run.code(), run.said());
        assertTrue(run.said().startsWith("VALID: record.json is sealed by department " + SM2_PROVIDER + " with pinned "
                + "key " + header.get("kid") + " (SM2SM3)"), run.said());
        run = cn.onenet.exchange.VerifierCli.run("verify-seal", keys,
                java.nio.file.Files.write(dir.resolve("tampered.json"), tampered), seal);
        assertEquals(1, run.code(), run.said());
        // generic JOSE libraries still read the JWK Set (they skip the key type they do not know)
        assertNotNull(JWKSet.parse(jwksJson).getKeys());

        // the verify endpoint handles SM2 too; it needs a logged-in caller
        Map<String, String> ok = Map.of("seal", seal, "payloadBase64", Base64.getEncoder().encodeToString(body));
        given().auth().oauth2(consumer).contentType(ContentType.JSON).body(ok).post("/api/exchange/v1/seals/verify")
                .then().statusCode(200).body("valid", equalTo(true)).body("algorithm", equalTo("SM2SM3"))
                .body("department", equalTo(SM2_PROVIDER));
        given().auth().oauth2(consumer).contentType(ContentType.JSON)
                .body(Map.of("seal", seal, "payloadBase64", Base64.getEncoder().encodeToString(tampered)))
                .post("/api/exchange/v1/seals/verify").then().statusCode(200).body("valid", equalTo(false));
        given().auth().oauth2(consumer).contentType(ContentType.JSON).body(Map.of("seal", "x", "payloadBase64", ""))
                .post("/api/exchange/v1/seals/verify").then().statusCode(400).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body(ok).post("/api/exchange/v1/seals/verify").then().statusCode(401);
        // only an admin issues keys
        given().auth().oauth2(operator(SM2_PROVIDER)).contentType(ContentType.JSON)
                .body(Map.of("algorithm", "SM2SM3")).post("/api/exchange/v1/seals/departments/" + SM2_PROVIDER + "/keys")
                .then().statusCode(403);
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(Map.of("algorithm", "SM9"))
                .post("/api/exchange/v1/seals/departments/" + SM2_PROVIDER + "/keys").then().statusCode(400);
    }

    @Test
    @SuppressWarnings("unchecked")
    void anEvidenceBundleWithAnSm2CheckpointVerifiesOffline() throws Exception {
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(Map.of("algorithm", "SM2SM3"))
                .post("/api/exchange/v1/seals/departments/" + DemoData.AUTHORITY + "/keys").then().statusCode(200)
                .body("algorithm", equalTo("SM2SM3"));
        try {
            Response delivered = given().urlEncodingEnabled(false).auth().oauth2(operator(DemoData.HUMAN_RESOURCES))
                    .get(DeliveryTest.path(FakeCatalog.POPULATION, "33010619920708002X"));
            delivered.then().statusCode(200);
            long seq = Long.parseLong(delivered.header("X-Usage-Log-Seq"));
            // the 主管部门 signs the head with its SM2 key; the bundle ends at that checkpoint
            given().auth().oauth2(auditor()).post("/api/exchange/v1/usage-log/checkpoints").then().statusCode(200);
            Map<String, Object> bundle = JSON.readValue(given().auth().oauth2(auditor())
                    .get("/api/exchange/v1/usage-log/" + seq + "/evidence").then().statusCode(200).extract().asString(),
                    Map.class);
            Map<String, Object> cp = (Map<String, Object>) bundle.get("checkpoint");
            String[] parts = ((String) cp.get("signature")).split("\\.");
            Map<?, ?> header = JSON.readValue(Base64.getUrlDecoder().decode(parts[0]), Map.class);
            assertEquals("SM2SM3", header.get("alg"));
            Map<?, ?> jwk = key(JSON.writeValueAsString(bundle.get("jwks")), (String) header.get("kid"));
            byte[] payload = ((String) cp.get("checkpointPayload")).getBytes(StandardCharsets.UTF_8);
            assertTrue(sm2Verify(jwk, parts[0], payload, parts[2]));
            byte[] forged = ((String) cp.get("checkpointPayload")).replace("\"lastSeq\"", "\"lastSeq \"")
                    .getBytes(StandardCharsets.UTF_8);
            assertFalse(sm2Verify(jwk, parts[0], forged, parts[2]));
            // the chain ends at the checkpoint
            List<Map<String, Object>> chain = (List<Map<String, Object>>) bundle.get("chain");
            assertEquals(cp.get("lastHash"), chain.get(chain.size() - 1).get("entryHash"));
            // and the verify endpoint checks SM2 checkpoints with the chain
            given().auth().oauth2(auditor()).get("/api/exchange/v1/usage-log/verify").then().statusCode(200)
                    .body("valid", equalTo(true));
        } finally {
            given().auth().oauth2(admin()).contentType(ContentType.JSON).body(Map.of("algorithm", "EdDSA"))
                    .post("/api/exchange/v1/seals/departments/" + DemoData.AUTHORITY + "/keys").then().statusCode(200);
        }
    }

    private static Map<?, ?> key(String jwksJson, String kid) throws Exception {
        List<Map<?, ?>> keys = (List<Map<?, ?>>) JSON.readValue(jwksJson, Map.class).get("keys");
        return keys.stream().filter(k -> kid.equals(k.get("kid"))).findFirst()
                .orElseThrow(() -> new AssertionError("kid " + kid + " is not published"));
    }

    /** SM2 with SM3 and the default user ID over the JWS signing input; signature r ‖ s. Bouncy Castle only. */
    static boolean sm2Verify(Map<?, ?> jwk, String protectedHeader, byte[] payload, String signature) {
        X9ECParameters curve = GMNamedCurves.getByName("sm2p256v1");
        ECDomainParameters domain = new ECDomainParameters(curve.getCurve(), curve.getG(), curve.getN(), curve.getH());
        BigInteger x = new BigInteger(1, Base64.getUrlDecoder().decode((String) jwk.get("x")));
        BigInteger y = new BigInteger(1, Base64.getUrlDecoder().decode((String) jwk.get("y")));
        SM2Signer verifier = new SM2Signer(PlainDSAEncoding.INSTANCE);
        verifier.init(false, new ECPublicKeyParameters(curve.getCurve().createPoint(x, y), domain));
        byte[] input = (protectedHeader + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload))
                .getBytes(StandardCharsets.US_ASCII);
        verifier.update(input, 0, input.length);
        return verifier.verifySignature(Base64.getUrlDecoder().decode(signature));
    }
}
