package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.util.CollectionStore;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.TestTsa;
import cn.onenet.exchange.VerifierCli;
import cn.onenet.exchange.service.DemoData;
import cn.onenet.exchange.service.TimeSource;
import cn.onenet.exchange.service.UsageLogTimestamps;
import cn.onenet.usagelog.verifier.EvidenceVerifier;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The outside auditor's program checks real evidence bundles ({@code GET /usage-log/{seq}/evidence}) offline with
 * {@code verify-evidence}: an auditor's bundle (every canonical string, covert dates opened) and an admin's (an old
 * covert entry redacted under the 主管部门's seal), with checkpoints sealed with Ed25519 and SM2; and finds each
 * tampered copy, naming the entry and what is wrong.
 */
@QuarkusTest
class EvidenceBundleVerifierTest extends ExchangeTestBase {

    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AgroalDataSource dataSource;

    private static String bundleJson(String token, long seq) {
        return given().auth().oauth2(token).get(UsageLogTest.LOG + "/" + seq + "/evidence").then().statusCode(200)
                .extract().asString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String json) throws Exception {
        return JSON.readValue(json, Map.class);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> chain(Map<String, Object> bundle) {
        return (List<Map<String, Object>>) bundle.get("chain");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> row(Map<String, Object> bundle, long seq) {
        return chain(bundle).stream().filter(r -> ((Number) r.get("seq")).longValue() == seq).findFirst()
                .orElseThrow(() -> new AssertionError("no entry " + seq + " in the bundle"));
    }

    /** verify-evidence on the bundle, with the pinned keys when given; exit code and what it said. */
    private static VerifierCli.Run check(Path dir, Path keys, Map<String, Object> bundle, String name)
            throws Exception {
        Path file = Files.writeString(dir.resolve(name + ".json"), JSON.writeValueAsString(bundle));
        return keys == null ? VerifierCli.run("verify-evidence", file) : VerifierCli.run("verify-evidence", keys, file);
    }

    private static void invalid(VerifierCli.Run run, String expected) {
        assertEquals(1, run.code(), run.said());
        assertTrue(run.said().startsWith("INVALID: " + expected), run.said());
    }

    /** The JWS with one character of its signature changed. */
    private static String altered(String detached) {
        int i = detached.length() - 10;
        return detached.substring(0, i) + (detached.charAt(i) == 'A' ? 'B' : 'A') + detached.substring(i + 1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void auditorsAndAdminsBundlesVerifyWithThePublishedKeysAndTamperedCopiesDoNot() throws Exception {
        // every entry format in one chain: an old covert entry (format 1, its date in clear), a covert one now
        // (format 2, the date's commitment), a lookup with a reason (format 3), a plain lookup (format 2)
        LocalDate clearDate = LocalDate.now(TimeSource.ZONE).plusDays(71);
        long old = CovertDateCommitmentTest.appendClearDateEntry(dataSource, clearDate);
        long covert = CovertDateCommitmentTest.covertLookup(LocalDate.now(TimeSource.ZONE).plusDays(72).toString(),
                "evidence-");
        String rid = "evidence-why-" + UUID.randomUUID();
        long reasoned = Long.parseLong(LookupReasonTest.lookup(ComplaintTest.WANG_ID, rid,
                LookupReasonTest.encoded(LookupReasonTest.REASON)).then().statusCode(200).extract()
                .header("X-Usage-Log-Seq"));
        long plain = UsageLogTest.lookups(1, "evidence-").get(0);
        UsageLogTest.signCheckpoint(auditor()).statusCode(200);

        Path dir = Files.createTempDirectory("evidence");
        // the auditor pins the published checkpoint keys, fetched without any account
        String keysJson = given().get(UsageLogTest.LOG + "/checkpoint-keys").then().statusCode(200).extract()
                .asString();
        Path keys = Files.writeString(dir.resolve("checkpoint-keys.json"), keysJson);
        String auditorsJson = bundleJson(auditor(), old);
        Path audited = Files.writeString(dir.resolve("bundle.json"), auditorsJson);
        VerifierCli.Run run = VerifierCli.run("verify-evidence", keys, audited);
        assertEquals(0, run.code(), run.said());
        assertTrue(run.said().startsWith("VALID: entry " + old + " is chained to the checkpoint at seq "), run.said());
        assertTrue(run.said().contains(" by department " + DemoData.AUTHORITY + " with pinned key "), run.said());
        EvidenceVerifier.Result result = EvidenceVerifier.pinning(keysJson).verify(auditorsJson);
        assertTrue(result.valid(), result.describe());
        assertEquals(0, result.redacted(), result.describe());
        assertTrue(result.entries() >= 4, result.describe());
        // the auditor's bundle opens the covert date's commitment
        assertTrue(result.opened() >= 1, result.describe());
        // with the bundle's own keys: valid, and said to prove only that the bundle holds together
        run = VerifierCli.run("verify-evidence", audited);
        assertEquals(0, run.code(), run.said());
        assertTrue(run.said().contains("of the bundle's own JWKS"), run.said());
        assertTrue(run.said().contains("note: the keys were taken from the bundle itself"), run.said());
        run = VerifierCli.run("verify-evidence", "--require-pinned-key", audited);
        assertEquals(2, run.code(), run.said());
        // the checkpoint carries the tests' TSA's token: --require-pinned-key wants its certificate pinned too
        assertEquals(2, VerifierCli.run("verify-evidence", "--require-pinned-key", keys, audited).code());
        Path tsa = pinnedTsaCertificate(dir);
        run = VerifierCli.run("verify-evidence", "--require-pinned-key", "--tsa-cert", tsa, keys, audited);
        assertEquals(0, run.code(), run.said());

        // an admin's bundle: the old covert entry redacted, vouched for by the 主管部门's seal
        String adminsJson = bundleJson(admin(), old);
        Map<String, Object> admins = parse(adminsJson);
        assertNotNull(admins.get("redaction"), adminsJson);
        EvidenceVerifier.Result redacted = EvidenceVerifier.pinning(keysJson).verify(adminsJson);
        assertTrue(redacted.valid(), redacted.describe());
        assertEquals(1, redacted.redacted(), redacted.describe());
        assertEquals(0, redacted.opened(), redacted.describe());
        run = check(dir, keys, admins, "admins");
        assertEquals(0, run.code(), run.said());
        assertTrue(run.said().contains("1 vouched for by the redaction seal"), run.said());

        // a canonical string edited: the reason of the format-3 entry
        Map<String, Object> b = parse(auditorsJson);
        Map<String, Object> r = row(b, reasoned);
        r.put("canonical", ((String) r.get("canonical")).replace("2026-0417", "2026-0418"));
        invalid(check(dir, keys, b, "edited"), "entry " + reasoned + ": content changed, SHA-256 of its canonical "
                + "string is not its entryHash");
        // the row's shown reason changed beside an intact canonical string: a reader would take it for the entry's
        b = parse(auditorsJson);
        row(b, reasoned).put("reason", "另一事由");
        invalid(check(dir, keys, b, "shown"), "entry " + reasoned + ": its reason 另一事由 is not the one its canonical "
                + "string hashes");
        // an entry removed from the middle of the chain
        b = parse(auditorsJson);
        assertTrue(chain(b).remove(row(b, covert)));
        invalid(check(dir, keys, b, "removed"), "entry " + covert + " is missing");
        // the last entry removed: the chain no longer ends at the checkpoint's head
        b = parse(auditorsJson);
        List<Map<String, Object>> rows = chain(b);
        long last = ((Number) rows.remove(rows.size() - 1).get("seq")).longValue();
        invalid(check(dir, keys, b, "cut"), "the chain ends at entry " + (last - 1) + ", the checkpoint signs entry "
                + last);
        // a link broken: the plain entry made to follow another hash, its own hash recomputed to fit
        b = parse(auditorsJson);
        r = row(b, plain);
        String canonical = ((String) r.get("canonical")).replace((String) r.get("prevHash"), "0".repeat(64));
        r.put("canonical", canonical);
        r.put("prevHash", "0".repeat(64));
        r.put("entryHash", UsageLogTest.sha256(canonical));
        invalid(check(dir, keys, b, "unlinked"), "entry " + plain + ": chain broken, its prevHash is not the hash of "
                + "entry " + (plain - 1));
        // the checkpoint's seal altered, or the payload it covers
        b = parse(auditorsJson);
        Map<String, Object> cp = (Map<String, Object>) b.get("checkpoint");
        cp.put("signature", altered((String) cp.get("signature")));
        invalid(check(dir, keys, b, "seal"), "the checkpoint's signature does not verify with pinned key "
                + cp.get("kid"));
        b = parse(auditorsJson);
        cp = (Map<String, Object>) b.get("checkpoint");
        cp.put("checkpointPayload", ((String) cp.get("checkpointPayload")).replace("\"createdAt\":\"",
                "\"createdAt\":\"1"));
        invalid(check(dir, keys, b, "payload"), "the checkpoint's signature does not verify with pinned key");
        // the covert date an auditor reads moved by a day: it no longer opens the hashed commitment
        b = parse(auditorsJson);
        r = row(b, covert);
        r.put("hiddenUntil", LocalDate.parse((String) r.get("hiddenUntil")).plusDays(1).toString());
        invalid(check(dir, keys, b, "date"), "entry " + covert + ": hiddenUntil " + r.get("hiddenUntil")
                + " does not open its commitment");

        // the admin's redaction: its seal altered, or a redacted entry's string changed under it
        b = parse(adminsJson);
        Map<String, Object> redaction = (Map<String, Object>) b.get("redaction");
        redaction.put("signature", altered((String) redaction.get("signature")));
        invalid(check(dir, keys, b, "redaction"), "the redaction seal's signature does not verify with pinned key");
        b = parse(adminsJson);
        r = row(b, old);
        r.put("redactedCanonical", ((String) r.get("redactedCanonical")).replace("案件侦查", "案件调查"));
        invalid(check(dir, keys, b, "redacted"), "entry " + old + ": redacted, but the redaction seal does not vouch "
                + "for its redactedCanonical and entryHash");

        // fields shown beside what is hashed or sealed that nothing covers: the admin's redacted row given a date,
        // a salt, or a redactedFields naming a field its redactedCanonical does not hide
        b = parse(adminsJson);
        row(b, old).put("hiddenUntil", "2099-12-31");
        invalid(check(dir, keys, b, "redacted-date"), "entry " + old + ": it shows hiddenUntil 2099-12-31, but its "
                + "date is redacted");
        b = parse(adminsJson);
        row(b, old).put("hiddenUntilSalt", "ab".repeat(32));
        invalid(check(dir, keys, b, "redacted-salt"), "entry " + old + ": it shows hiddenUntilSalt " + "ab".repeat(32)
                + ", but its entryFormat 1 has none");
        b = parse(adminsJson);
        row(b, old).put("redactedFields", List.of("hiddenUntil", "purpose"));
        invalid(check(dir, keys, b, "redacted-fields"), "entry " + old + ": its redactedFields name purpose, which its "
                + "redactedCanonical does not hide");
        // a format-1 row has no commitment; a row in clear has nothing redacted
        b = parse(auditorsJson);
        row(b, old).put("hiddenUntilCommitment", "cd".repeat(32));
        invalid(check(dir, keys, b, "clear-commitment"), "entry " + old + ": it shows hiddenUntilCommitment "
                + "cd".repeat(32) + ", but its entryFormat 1 has none");
        b = parse(auditorsJson);
        row(b, plain).put("redactedFields", List.of("hiddenUntil"));
        invalid(check(dir, keys, b, "clear-redacted-fields"), "entry " + plain + ": it shows redactedFields "
                + "[hiddenUntil] beside its canonical string");
        // the checkpoint's shown entryCount, payloadFormat and timestampedAt against what it signs and stamps
        b = parse(auditorsJson);
        cp = (Map<String, Object>) b.get("checkpoint");
        long count = ((Number) cp.get("entryCount")).longValue();
        cp.put("entryCount", count + 1);
        invalid(check(dir, keys, b, "entry-count"), "the checkpoint's entryCount " + (count + 1) + " differs from the "
                + "signed entryCount " + count);
        b = parse(auditorsJson);
        cp = (Map<String, Object>) b.get("checkpoint");
        cp.put("payloadFormat", 1);
        invalid(check(dir, keys, b, "payload-format"), "the checkpoint's payloadFormat 1 is not the format of its "
                + "signed payload, 2");
        b = parse(auditorsJson);
        cp = (Map<String, Object>) b.get("checkpoint");
        assertNotNull(cp.get("timestampToken"), "the tests' TSA stamps every checkpoint");
        String stamped = (String) cp.get("timestampedAt");
        String later = java.time.Instant.parse(stamped).plusSeconds(1).toString();
        cp.put("timestampedAt", later);
        invalid(check(dir, keys, b, "stamped-later"), "the checkpoint's timestampedAt " + later + " is not the time "
                + "its timestampToken stamps, " + stamped);
        cp.remove("timestampToken");
        invalid(check(dir, keys, b, "stamped-no-token"), "the checkpoint shows timestampedAt " + later + " without a "
                + "timestampToken");

        // a JWKS key swapped: another key under the checkpoint's kid. With the pinned keys the bundle's JWKS is
        // caught lying; with its own keys the seal no longer verifies
        b = parse(auditorsJson);
        String kid = (String) ((Map<String, Object>) b.get("checkpoint")).get("kid");
        OctetKeyPair forger = new OctetKeyPairGenerator(Curve.Ed25519).keyID(kid).generate();
        swapKey(b, kid, forger);
        invalid(check(dir, keys, b, "swapped"), "the bundle's jwks holds another key under kid " + kid + " than the "
                + "pinned one");
        invalid(check(dir, null, b, "swapped-own"), "the checkpoint's signature does not verify with the bundle's key "
                + kid);
        // and the checkpoint signed again by the forger's key: the bundle holds together with its own keys, which is
        // all they show; the pinned keys refuse it
        cp = (Map<String, Object>) b.get("checkpoint");
        JWSObject resigned = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.EdDSA).keyID(kid).build(),
                new Payload((String) cp.get("checkpointPayload")));
        resigned.sign(new Ed25519Signer(forger));
        cp.put("signature", resigned.serialize(true));
        // the TSA's stamp covers the old seal, not the new one
        invalid(check(dir, null, b, "forged-stamped"), "the checkpoint at seq " + cp.get("lastSeq") + ": its "
                + "time-stamp token is over other data: its message imprint is not the hash of the checkpoint's "
                + "signature");
        cp.remove("timestampToken");
        cp.remove("timestampedAt");
        assertEquals(0, check(dir, null, b, "forged-own").code());
        invalid(check(dir, keys, b, "forged"), "the bundle's jwks holds another key under kid " + kid);
        Map<String, Object> noJwks = parse(JSON.writeValueAsString(b));
        noJwks.remove("jwks");
        invalid(check(dir, keys, noJwks, "forged-no-jwks"), "the checkpoint's signature does not verify with pinned "
                + "key " + kid);
    }

    /**
     * The auditor's copy of the TSA's certificate as PEM, obtained from the TSA itself (here the tests' TSA), never
     * from a bundle or the exchange.
     */
    private static Path pinnedTsaCertificate(Path dir) throws Exception {
        return Files.writeString(dir.resolve("tsa.pem"), "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(TestTsa.certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n");
    }

    /** The bundle with its checkpoint's token replaced, and its timestampedAt as the exchange reads that token. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> withToken(Map<String, Object> bundle, byte[] token) {
        Map<String, Object> cp = (Map<String, Object>) bundle.get("checkpoint");
        cp.put("timestampToken", Base64.getEncoder().encodeToString(token));
        Instant shown = UsageLogTimestamps.stampedAt(token, ((String) cp.get("signature"))
                .getBytes(StandardCharsets.UTF_8));
        cp.put("timestampedAt", shown == null ? null : shown.toString());
        return bundle;
    }

    @Test
    @SuppressWarnings("unchecked")
    void theCheckpointsTimeStampTokenVerifiesWithThePinnedTsaCertificateAndTamperedTokensDoNot() throws Exception {
        long seq = UsageLogTest.lookups(1, "evidence-tsa-").get(0);
        UsageLogTest.signCheckpoint(auditor()).statusCode(200);
        String json = bundleJson(auditor(), seq);
        Path dir = Files.createTempDirectory("evidence-tsa");
        Path keys = Files.writeString(dir.resolve("checkpoint-keys.json"),
                given().get(UsageLogTest.LOG + "/checkpoint-keys").then().statusCode(200).extract().asString());
        Path tsa = pinnedTsaCertificate(dir);
        Map<String, Object> cp = (Map<String, Object>) parse(json).get("checkpoint");
        String token = (String) cp.get("timestampToken");
        assertNotNull(token, "the tests' TSA stamps every checkpoint: " + cp);
        byte[] seal = ((String) cp.get("signature")).getBytes(StandardCharsets.UTF_8);
        Path file = Files.writeString(dir.resolve("bundle.json"), json);

        // the exchange's own token, checked with the TSA's certificate: the TSA's word on the seal's time
        VerifierCli.Run run = VerifierCli.run("verify-evidence", "--require-pinned-key", "--tsa-cert", tsa, keys,
                file);
        assertEquals(0, run.code(), run.said());
        assertTrue(run.said().contains("; time-stamped " + cp.get("timestampedAt") + " by pinned TSA certificate "
                + "CN=onenet test TSA"), run.said());
        // without the pin: checked with the certificate it carries, and said not to be pinned
        run = VerifierCli.run("verify-evidence", keys, file);
        assertEquals(0, run.code(), run.said());
        assertTrue(run.said().contains("by CN=onenet test TSA (the certificate in the token, not pinned)"),
                run.said());
        assertTrue(run.said().contains(", which is not pinned: this shows that the token is intact, not that a TSA "
                + "you trust made it"), run.said());
        run = VerifierCli.run("verify-evidence", "--require-pinned-key", keys, file);
        assertEquals(2, run.code(), run.said());
        assertTrue(run.said().startsWith("--require-pinned-key: the bundle's checkpoint carries an RFC 3161 "
                + "time-stamp token; give the TSA's certificate with --tsa-cert"), run.said());

        String at = "the checkpoint at seq " + cp.get("lastSeq") + ": its time-stamp token ";
        // another checkpoint's real token: its imprint is another seal's, with or without the pin
        String other = given().auth().oauth2(auditor()).get(UsageLogTest.LOG + "/checkpoints?size=50").then()
                .statusCode(200).extract().jsonPath().<String>getList("checkpoints.timestampToken").stream()
                .filter(t -> t != null && !t.equals(token)).findFirst()
                .orElseThrow(() -> new AssertionError("no other time-stamped checkpoint"));
        Map<String, Object> b = withToken(parse(json), Base64.getDecoder().decode(other));
        invalid(checkStamped(dir, keys, tsa, b, "imprint"), at + "is over other data: its message imprint is not the "
                + "hash of the checkpoint's signature");
        invalid(check(dir, keys, b, "imprint-unpinned"), at + "is over other data");

        // a token over the right seal, signed by another key under the TSA's very name and serial
        TestTsa.Authority forger = new TestTsa.Authority("onenet test TSA");
        b = withToken(parse(json), forger.stamp(seal));
        invalid(checkStamped(dir, keys, tsa, b, "forged"), at + "does not verify with pinned TSA certificate "
                + "CN=onenet test TSA: ");
        // which is what the pin is for: with the certificate it carries such a token holds together
        run = check(dir, keys, b, "forged-unpinned");
        assertEquals(0, run.code(), run.said());
        assertTrue(run.said().contains(", which is not pinned"), run.said());

        // the exchange's token with the certificate it carries swapped for the forger's
        byte[] swapped = CMSSignedData.replaceCertificatesAndCRLs(new CMSSignedData(Base64.getDecoder()
                .decode(token)), new CollectionStore<>(List.of(forger.certificate)), null, null).getEncoded();
        b = withToken(parse(json), swapped);
        invalid(checkStamped(dir, keys, tsa, b, "swapped"), at + "verifies with pinned TSA certificate CN=onenet test "
                + "TSA but carries another certificate under its name");
        invalid(check(dir, keys, b, "swapped-unpinned"), at + "does not verify with the certificate it carries");
    }

    /** verify-evidence with the pinned keys and the pinned TSA certificate. */
    private static VerifierCli.Run checkStamped(Path dir, Path keys, Path tsa, Map<String, Object> bundle,
            String name) throws Exception {
        Path file = Files.writeString(dir.resolve(name + ".json"), JSON.writeValueAsString(bundle));
        return VerifierCli.run("verify-evidence", "--tsa-cert", tsa, keys, file);
    }

    /** The bundle's JWK under {@code kid} replaced by {@code key}'s public half. */
    @SuppressWarnings("unchecked")
    private static void swapKey(Map<String, Object> bundle, String kid, OctetKeyPair key) {
        List<Map<String, Object>> jwks = (List<Map<String, Object>>) ((Map<String, Object>) bundle.get("jwks"))
                .get("keys");
        for (int i = 0; i < jwks.size(); i++) {
            if (kid.equals(jwks.get(i).get("kid"))) {
                jwks.set(i, key.toPublicJWK().toJSONObject());
                return;
            }
        }
        throw new AssertionError("no key " + kid + " in the bundle's jwks");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aBundleUnderAnSm2CheckpointVerifiesAndATamperedCopyDoesNot() throws Exception {
        String json;
        long seq;
        // the 主管部门 seals with SM2 (国密) for a while: the checkpoint the bundle ends at is SM2SM3
        UsageLogTest.rotateAuthoritySeal("SM2SM3");
        try {
            seq = UsageLogTest.lookups(1, "evidence-sm2-").get(0);
            UsageLogTest.signCheckpoint(auditor()).statusCode(200);
            json = bundleJson(auditor(), seq);
        } finally {
            UsageLogTest.rotateAuthoritySeal("EdDSA");
        }
        Path dir = Files.createTempDirectory("evidence-sm2");
        Path keys = Files.writeString(dir.resolve("checkpoint-keys.json"),
                given().get(UsageLogTest.LOG + "/checkpoint-keys").then().statusCode(200).extract().asString());
        Map<String, Object> bundle = parse(json);
        String kid = (String) ((Map<String, Object>) bundle.get("checkpoint")).get("kid");
        VerifierCli.Run run = check(dir, keys, bundle, "sm2");
        assertEquals(0, run.code(), run.said());
        assertTrue(run.said().startsWith("VALID: entry " + seq + " is chained to the checkpoint at seq "), run.said());
        assertTrue(run.said().contains("pinned key " + kid + " (SM2SM3)"), run.said());
        assertEquals(0, check(dir, null, bundle, "sm2-own").code());

        Map<String, Object> b = parse(json);
        Map<String, Object> r = row(b, seq);
        r.put("canonical", ((String) r.get("canonical")).replace("evidence-sm2-", "evidence-sm3-"));
        invalid(check(dir, keys, b, "sm2-edited"), "entry " + seq + ": content changed");
        b = parse(json);
        Map<String, Object> cp = (Map<String, Object>) b.get("checkpoint");
        cp.put("signature", altered((String) cp.get("signature")));
        invalid(check(dir, keys, b, "sm2-seal"), "the checkpoint's signature does not verify with pinned key " + kid);
        invalid(check(dir, null, b, "sm2-seal-own"), "the checkpoint's signature does not verify with the bundle's "
                + "key " + kid);
        // another SM2 point under the kid in the bundle's JWKS (x and y exchanged)
        b = parse(json);
        for (Map<String, Object> k : (List<Map<String, Object>>) ((Map<String, Object>) b.get("jwks")).get("keys")) {
            if (kid.equals(k.get("kid"))) {
                Object x = k.get("x");
                k.put("x", k.get("y"));
                k.put("y", x);
            }
        }
        invalid(check(dir, keys, b, "sm2-swapped"), "the bundle's jwks holds another key under kid " + kid);
    }
}
