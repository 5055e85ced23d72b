package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.service.TimeSource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * An evidence bundle shows each reader what the usage-log list shows them: reviewers and admins never see when a
 * covert query (隐蔽查询) stops being hidden nor the salt of its commitment, auditors do; either bundle verifies
 * offline with its JWKS. (Entries written before the commitment: {@link CovertDateCommitmentTest}.)
 */
@QuarkusTest
class EvidenceBundleAudienceTest extends ExchangeTestBase {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    @SuppressWarnings("unchecked")
    void aCovertQueryInABundleKeepsItsHidingFromReviewersAndAdminsWhoStillRecomputeItsHash() throws Exception {
        String hiddenUntil = LocalDate.now(TimeSource.ZONE).plusDays(53).toString();
        long seq = CovertDateCommitmentTest.covertLookup(hiddenUntil, "bundle-");
        // an ordinary entry after it, so the chain holds both kinds
        UsageLogTest.lookups(1, "bundle-");
        UsageLogTest.signCheckpoint(auditor()).statusCode(200);

        // auditors see every field, the hiding's end and the salt that opens its commitment included
        Map<String, Object> full = CovertDateCommitmentTest.bundle(auditor(), seq);
        Map<String, Object> audited = (Map<String, Object>) full.get("entry");
        assertEquals(hiddenUntil, audited.get("hiddenUntil"));
        String salt = (String) audited.get("hiddenUntilSalt");
        assertEquals(CovertDateCommitmentTest.commitment(salt, hiddenUntil), audited.get("hiddenUntilCommitment"));
        assertNull(full.get("redaction"));
        assertEquals(0, verify(full));

        given().auth().oauth2(reviewer()).get(UsageLogTest.LOG + "/" + seq + "/evidence").then().statusCode(403);
        for (String token : List.of(admin())) {
            String json = given().auth().oauth2(token).get(UsageLogTest.LOG + "/" + seq + "/evidence").then()
                    .statusCode(200).extract().asString();
            assertFalse(json.contains(hiddenUntil), json);
            assertFalse(json.contains(salt), json);
            assertFalse(json.contains("《刑事诉讼法》第一百五十条"), json);
            Map<String, Object> bundle = JSON.readValue(json, Map.class);
            Map<String, Object> entry = (Map<String, Object>) bundle.get("entry");
            assertEquals(seq, ((Number) entry.get("seq")).longValue());
            assertFalse(entry.containsKey("hiddenUntil"), entry.toString());
            assertFalse(entry.containsKey("hiddenUntilSalt"), entry.toString());
            // nothing to redact: the hashed string holds the commitment, so the reader recomputes the hash itself
            assertNull(entry.get("redactedCanonical"));
            assertNull(entry.get("redactedFields"));
            assertEquals(entry.get("entryHash"), UsageLogTest.sha256((String) entry.get("canonical")));
            assertEquals(audited.get("canonical"), entry.get("canonical"));
            assertNull(bundle.get("redaction"), json);
            List<Map<String, Object>> chain = (List<Map<String, Object>>) bundle.get("chain");
            assertTrue(chain.size() >= 2, json);
            assertTrue(chain.stream().allMatch(r -> !r.containsKey("hiddenUntil")), json);
            assertNotNull(chain.get(1).get("canonical"), json);
            assertEquals(0, verify(bundle));
        }
    }

    /**
     * Checks a bundle with nothing but the bundle, as a third party would; the number of rows vouched for by the
     * redaction seal rather than by their canonical form.
     */
    @SuppressWarnings("unchecked")
    static int verify(Map<String, Object> bundle) throws Exception {
        JWKSet jwks = JWKSet.parse((Map<String, Object>) bundle.get("jwks"));
        List<List<Object>> vouched = List.of();
        Map<String, Object> redaction = (Map<String, Object>) bundle.get("redaction");
        if (redaction != null) {
            String payload = (String) redaction.get("payload");
            assertTrue(sealed((String) redaction.get("signature"), payload, jwks), "the redaction's seal");
            assertFalse(sealed((String) redaction.get("signature"), payload.replace("[redacted]", "[redacted] "), jwks));
            vouched = (List<List<Object>>) JSON.readValue(payload, Map.class).get("entries");
        }
        List<Map<String, Object>> chain = (List<Map<String, Object>>) bundle.get("chain");
        String prev = (String) chain.get(0).get("prevHash");
        int redacted = 0;
        for (Map<String, Object> row : chain) {
            assertEquals(prev, row.get("prevHash"));
            String canonical = (String) row.get("canonical");
            if (canonical == null) {
                canonical = (String) row.get("redactedCanonical");
                List<Object> claim = List.of(row.get("seq"), row.get("entryHash"), canonical);
                assertTrue(vouched.stream().anyMatch(v -> v.equals(claim)), "sealed: " + claim);
                redacted++;
            } else {
                assertEquals(row.get("entryHash"), UsageLogTest.sha256(canonical));
            }
            List<Object> fields = JSON.readValue(canonical, List.class);
            assertEquals(((Number) row.get("seq")).longValue(), ((Number) fields.get(0)).longValue());
            assertEquals(row.get("purpose"), fields.get(7));
            assertEquals(row.get("legalBasis"), fields.get(8));
            assertEquals(row.get("resourceCode"), fields.get(9));
            if (fields.size() == 18 || fields.size() == 20) {
                // the committed format (2, or 4 with reason and terms after the outcome): the commitment where the
                // date was, opened by whoever has date and salt
                int format = fields.size() == 18 ? 2 : 4;
                int commitment = fields.size() - 3;
                assertEquals(format, fields.get(fields.size() - 1));
                assertEquals(format, row.get("entryFormat"));
                assertEquals(row.get("hiddenUntilCommitment"), fields.get(commitment));
                if (row.get("hiddenUntil") != null) {
                    assertEquals(CovertDateCommitmentTest.commitment((String) row.get("hiddenUntilSalt"),
                            (String) row.get("hiddenUntil")), fields.get(commitment));
                }
            } else {
                assertEquals(1, row.get("entryFormat"));
                assertEquals(row.containsKey("hiddenUntil") ? row.get("hiddenUntil")
                        : fields.get(15) == null ? null : "[redacted]", fields.get(15));
            }
            prev = (String) row.get("entryHash");
        }
        Map<String, Object> cp = (Map<String, Object>) bundle.get("checkpoint");
        assertEquals(prev, cp.get("lastHash"));
        assertEquals(((Number) chain.get(chain.size() - 1).get("seq")).longValue(),
                ((Number) cp.get("lastSeq")).longValue());
        assertTrue(sealed((String) cp.get("signature"), (String) cp.get("checkpointPayload"), jwks));
        return redacted;
    }

    static boolean sealed(String detached, String payload, JWKSet jwks) throws Exception {
        JWSObject sig = JWSObject.parse(detached, new Payload(payload.getBytes(StandardCharsets.UTF_8)));
        return sig.verify(new Ed25519Verifier((OctetKeyPair) jwks.getKeyByKeyId(sig.getHeader().getKeyID())));
    }
}
