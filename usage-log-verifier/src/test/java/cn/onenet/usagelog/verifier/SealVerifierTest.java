package cn.onenet.usagelog.verifier;

import static cn.onenet.usagelog.verifier.UsageLogVerifierTest.json;
import static cn.onenet.usagelog.verifier.UsageLogVerifierTest.jwks;
import static cn.onenet.usagelog.verifier.UsageLogVerifierTest.line;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;

import cn.onenet.usagelog.verifier.UsageLogVerifierTest.EdKey;

/**
 * {@code verify-seal} and {@code verify-manifest}: the exchange's sealed answers (X-Exchange-Seal over the exact body)
 * and bulk export manifests, checked with the pinned JWKS of the departments' seals. The seals are made as the
 * exchange's SealService makes them: a detached JWS whose protected header names alg, kid and dept (and for a webhook
 * delivery its delivery id, event and time), over the body bytes.
 */
class SealVerifierTest {

    static final String PROVIDER = "11330000002481020A";
    static final String CONSUMER = "11330000002481060E";

    final EdKey provider = EdKey.generate(PROVIDER + "-mwrn2xvk");
    final EdKey consumer = EdKey.generate(CONSUMER + "-mwrn3abc");
    final String pinned = jwks(provider.publicJwk(), consumer.publicJwk());

    SealVerifierTest() throws Exception {
    }

    /** As SealService.seal: header alg, kid, dept and the extra parameters; signing input; payload part detached. */
    static String seal(EdKey key, String dept, byte[] body, Map<String, Object> params) throws Exception {
        JWSHeader.Builder h = new JWSHeader.Builder(JWSAlgorithm.EdDSA).keyID(key.kid()).customParam("dept", dept);
        params.forEach(h::customParam);
        String header = h.build().toBase64URL().toString();
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(key.pair().getPrivate());
        s.update((header + "." + Base64URL.encode(body)).getBytes(StandardCharsets.US_ASCII));
        return header + ".." + Base64URL.encode(s.sign());
    }

    static final byte[] BODY = ("{\"resourceCode\":\"330000-01-02/000123\",\"key\":\"330***********001X\",\"grantId\":17,"
            + "\"purpose\":\"社会保障待遇资格认证\",\"usageLogSeq\":1024,\"record\":{\"XM\":\"张伟\"}}")
            .getBytes(StandardCharsets.UTF_8);

    @Test
    void aSealedAnswerSavedWithItsHeadersIsValid(@TempDir Path dir) throws Exception {
        String seal = seal(provider, PROVIDER, BODY, Map.of());
        Path keys = Files.writeString(dir.resolve("seals-jwks.json"), pinned);
        Path body = Files.write(dir.resolve("record.json"), BODY);
        // what curl -D writes: the status line and every header, CR LF
        Path headers = Files.writeString(dir.resolve("headers.txt"), "HTTP/1.1 200 OK\r\ncontent-type: application/json"
                + "\r\nx-exchange-seal: " + seal + "\r\nX-Usage-Log-Seq: 1024\r\n\r\n");
        String[] said = new String[1];
        assertEquals(0, run(said, "verify-seal", keys.toString(), body.toString(), headers.toString()));
        assertTrue(said[0].startsWith("VALID: record.json is sealed by department " + PROVIDER + " with pinned key "
                + provider.kid() + " (EdDSA)"), said[0]);
        // the seal alone in a file, or given as the argument
        assertEquals(0, run(said, "verify-seal", keys.toString(), body.toString(),
                Files.writeString(dir.resolve("seal.txt"), seal + "\n").toString()));
        assertEquals(0, run(said, "verify-seal", keys.toString(), body.toString(), seal));
        assertEquals(0, run(said, "verify-seal", "--department", PROVIDER, keys.toString(), body.toString(), seal));

        // one byte of the body changed
        byte[] changed = BODY.clone();
        changed[changed.length - 5] = 'X';
        Path edited = Files.write(dir.resolve("edited.json"), changed);
        assertEquals(1, run(said, "verify-seal", keys.toString(), edited.toString(), headers.toString()));
        assertEquals("INVALID: the seal's signature does not verify with pinned key " + provider.kid() + ": edited.json "
                + "is not the sealed content (changed, or another answer's), or the seal was made with another key",
                said[0].strip().lines().findFirst().orElseThrow());
        // the answer of another department asked of the provider
        assertEquals(1, run(said, "verify-seal", "--department", CONSUMER, keys.toString(), body.toString(), seal));
        assertTrue(said[0].startsWith("INVALID: the seal is department " + PROVIDER + "'s (key " + provider.kid()
                + "), not " + CONSUMER + "'s"), said[0]);
    }

    @Test
    void aWebhookDeliverysSignedHeaderParametersAreNoted() throws Exception {
        String seal = seal(provider, PROVIDER, BODY, new LinkedHashMap<>(Map.of("delivery", 42L, "event", 17L, "iat",
                1796263200L)));
        SealVerifier.Result r = SealVerifier.pinning(pinned).seal(BODY, seal, "delivery.json");
        assertTrue(r.valid(), r.describe());
        assertEquals(PROVIDER, r.department());
        assertTrue(r.notes().contains("the seal's protected header also signs: delivery 42, event 17, iat 1796263200 "
                + "(2026-12-03T02:00:00Z)"), r.notes().toString());
    }

    /**
     * A department's seal key is published at its first seal and at each rotation: a JWKS pinned before then does not
     * hold it. A genuine answer sealed with such a key is not tampered with; the verifier says to fetch the keys again
     * (exit 3), and after that it is VALID.
     */
    @Test
    void aSealByAKeyNotYetPinnedAsksForTheKeysAgainNotInvalid(@TempDir Path dir) throws Exception {
        EdKey later = EdKey.generate(PROVIDER + "-rotated");
        String seal = seal(later, PROVIDER, BODY, Map.of());
        Path keys = Files.writeString(dir.resolve("seals-jwks.json"), pinned);
        Path body = Files.write(dir.resolve("record.json"), BODY);
        SealVerifier.Result r = SealVerifier.pinning(pinned).seal(BODY, seal, "record.json");
        assertFalse(r.valid());
        assertTrue(r.unknownKey());
        String[] said = new String[1];
        assertEquals(3, run(said, "verify-seal", keys.toString(), body.toString(), seal)); // the documented exit code
        assertTrue(said[0].startsWith("UNKNOWN KEY " + later.kid() + " — fetch the keys again"), said[0]);
        assertFalse(said[0].contains("INVALID"), said[0]);
        // with --department too
        assertEquals(UsageLogVerifier.UNKNOWN_KEY, run(said, "verify-seal", "--department", PROVIDER,
                keys.toString(), body.toString(), seal));
        // the keys fetched again hold it: the same answer is valid
        Path again = Files.writeString(dir.resolve("seals-jwks-2.json"), jwks(provider.publicJwk(), consumer.publicJwk(),
                later.publicJwk()));
        assertEquals(0, run(said, "verify-seal", again.toString(), body.toString(), seal));
    }

    @Test
    void aSealByAnotherKeyOrInAnotherDepartmentsNameIsInvalid() throws Exception {
        SealVerifier v = SealVerifier.pinning(pinned);
        // another key under the provider's kid
        EdKey impostor = EdKey.generate(provider.kid());
        SealVerifier.Result r = v.seal(BODY, seal(impostor, PROVIDER, BODY, Map.of()), "record.json");
        assertTrue(r.problem().startsWith("the seal's signature does not verify with pinned key " + provider.kid()),
                r.problem());
        // the consumer's real key, its seal naming the provider
        r = v.seal(BODY, seal(consumer, PROVIDER, BODY, Map.of()), "record.json");
        assertEquals("the seal names department " + PROVIDER + " (dept) but its key " + consumer.kid()
                + " is department " + CONSUMER + "'s", r.problem());
    }

    @Test
    void es256AndSm2SealsVerify() throws Exception {
        ECKey ec = new ECKeyGenerator(Curve.P_256).keyID(PROVIDER + "-es").algorithm(JWSAlgorithm.ES256).generate();
        JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(ec.getKeyID())
                .customParam("dept", PROVIDER).build(), new Payload(BODY));
        jws.sign(new ECDSASigner(ec));
        SealVerifier.Result r = SealVerifier.pinning(jwks(ec.toPublicJWK().toJSONObject()))
                .seal(BODY, jws.serialize(true), "record.json");
        assertTrue(r.valid(), r.describe());
        assertEquals("ES256", r.algorithm());

        BigInteger d = new BigInteger(255, new SecureRandom()).add(BigInteger.ONE);
        Sm2.Point q = Sm2.multiply(Sm2.G, d);
        Map<String, Object> sm2 = line("kty", "SM2", "crv", "SM2", "kid", PROVIDER + "-sm2", "alg", "SM2SM3", "x",
                Base64URL.encode(Sm2.bytes32(q.x())).toString(), "y", Base64URL.encode(Sm2.bytes32(q.y())).toString());
        String text = new String(BODY, StandardCharsets.UTF_8);
        String seal = UsageLogVerifierTest.sm2Seal(d, q, PROVIDER + "-sm2", text);
        r = SealVerifier.pinning(jwks(sm2)).seal(BODY, seal, "record.json");
        assertTrue(r.valid(), r.describe());
        assertEquals(PROVIDER, r.department());
        r = SealVerifier.pinning(jwks(sm2)).seal(text.replace("张伟", "李娜").getBytes(StandardCharsets.UTF_8), seal,
                "record.json");
        assertTrue(r.problem().startsWith("the seal's signature does not verify with pinned key " + PROVIDER + "-sm2"),
                r.problem());
    }

    @Test
    void whatCannotBeReadExitsTwoSayingWhy(@TempDir Path dir) throws Exception {
        Path keys = Files.writeString(dir.resolve("keys.json"), pinned);
        Path body = Files.write(dir.resolve("record.json"), BODY);
        Path missing = dir.resolve("missing.txt");
        Path notSeal = Files.writeString(dir.resolve("headers.txt"), "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n");
        String attached = seal(provider, PROVIDER, BODY, Map.of()).replace("..", "." + Base64URL.encode(BODY) + ".");
        String[] said = new String[1];
        assertEquals(2, run(said, "verify-seal", keys.toString(), body.toString(), notSeal.toString()));
        assertEquals("cannot read the seal " + notSeal + ": it holds neither an X-Exchange-Seal header nor a compact "
                + "JWS (header..signature)", said[0].strip());
        assertEquals(2, run(said, "verify-seal", keys.toString(), body.toString(), attached));
        assertEquals("cannot read the seal " + attached + ": the JWS is not detached: the exchange's seals carry no "
                + "payload (header..signature)", said[0].strip());
        assertEquals(2, run(said, "verify-seal", keys.toString(), missing.toString(), notSeal.toString()));
        assertEquals("cannot read the body " + missing + ": no such file", said[0].strip());
        assertEquals(2, run(said, "verify-seal", keys.toString(), body.toString(), missing.toString()));
        assertEquals("cannot read the seal " + missing + ": no such file", said[0].strip());
        assertEquals(2, run(said, "verify-seal", missing.toString(), body.toString(), notSeal.toString()));
        assertEquals("cannot read the pinned JWKS " + missing + ": no such file", said[0].strip());
        assertEquals(2, run(said, "verify-seal", keys.toString(), body.toString()));
        assertTrue(said[0].startsWith("usage: java -jar usage-log-verifier.jar verify-seal "), said[0]);
        assertEquals(2, run(said, "verify-manifest", keys.toString()));
        assertTrue(said[0].startsWith("usage: java -jar usage-log-verifier.jar verify-manifest "), said[0]);
    }

    /** A READY export job as GET /exports/{id} answers it, its manifest sealed by {@code sealer} as the provider's. */
    static Map<String, Object> job(EdKey sealer, String sealerDept, byte[] content) throws Exception {
        Map<String, Object> manifest = line("exportId", 8L, "resourceCode", "330000-01-02/000123", "grantId", 17L,
                "consumerDepartmentCode", CONSUMER, "providerDepartmentCode", PROVIDER, "purpose", "社会保障待遇资格认证",
                "format", "CSV", "csvFormulaEscaping", "'", "csvFormulaEscapedCells", 0L, "items", List.of("XM", "GMSFHM"),
                "maskedItems", List.of("GMSFHM"), "records", 2L, "sha256", UsageLogVerifier.sha256(
                        new String(content, StandardCharsets.UTF_8)));
        String manifestJson = json(manifest);
        return line("id", 8L, "grantId", 17L, "consumer", CONSUMER, "format", "CSV", "status", "READY", "records", 2L,
                "manifest", manifest, "manifestJson", manifestJson, "manifestSeal", seal(sealer, sealerDept,
                        manifestJson.getBytes(StandardCharsets.UTF_8), Map.of()), "failure", null, "createdAt",
                "2026-12-03T02:11:09Z");
    }

    static final byte[] CSV = "XM,GMSFHM\r\n张伟,330***********001X\r\n李娜,330***********002X\r\n"
            .getBytes(StandardCharsets.UTF_8);

    @Test
    void anExportManifestAndItsFileVerify(@TempDir Path dir) throws Exception {
        Path keys = Files.writeString(dir.resolve("seals-jwks.json"), pinned);
        Path job = Files.writeString(dir.resolve("export-8.json"), json(job(provider, PROVIDER, CSV)));
        Path content = Files.write(dir.resolve("export-8.csv"), CSV);
        String[] said = new String[1];
        assertEquals(0, run(said, "verify-manifest", keys.toString(), job.toString(), content.toString()));
        assertTrue(said[0].startsWith("VALID: the manifest of export 8 is sealed by department " + PROVIDER
                + " with pinned key " + provider.kid() + " (EdDSA), its provider: 2 records of 330000-01-02/000123 "
                + "for grant 17 (CSV, SHA-256 "), said[0]);
        assertTrue(said[0].contains("; export-8.csv (" + CSV.length + " bytes) is that file"), said[0]);
        // without the file: valid, and said what was not compared
        assertEquals(0, run(said, "verify-manifest", keys.toString(), job.toString()));
        assertTrue(said[0].contains("note: no content file given"), said[0]);

        // the file cut short by a record
        byte[] cut = java.util.Arrays.copyOf(CSV, CSV.length - "李娜,330***********002X\r\n".getBytes(
                StandardCharsets.UTF_8).length);
        assertEquals(1, run(said, "verify-manifest", keys.toString(), job.toString(),
                Files.write(dir.resolve("cut.csv"), cut).toString()));
        assertTrue(said[0].startsWith("INVALID: cut.csv's SHA-256 "), said[0]);
        assertTrue(said[0].contains("is not the sealed manifest's " + UsageLogVerifier.sha256(
                new String(CSV, StandardCharsets.UTF_8)) + ": it is not the file the provider sealed"), said[0]);
    }

    @Test
    void aManifestThatDoesNotFitItsSealOrJobIsInvalid(@TempDir Path dir) throws Exception {
        SealVerifier v = SealVerifier.pinning(pinned);
        // sealed by the consumer, not the provider
        SealVerifier.Result r = v.manifest(json(job(consumer, CONSUMER, CSV)), null);
        assertEquals("the manifest is sealed by department " + CONSUMER + ", not by its provider " + PROVIDER,
                r.problem());
        // the sealed text changed: more records
        Map<String, Object> job = job(provider, PROVIDER, CSV);
        job.put("manifestJson", ((String) job.get("manifestJson")).replace("\"records\":2", "\"records\":3"));
        r = v.manifest(json(job), null);
        assertEquals("the manifest's signature does not verify with pinned key " + provider.kid(), r.problem());
        // the parsed copy beside it says otherwise than what was sealed
        job = job(provider, PROVIDER, CSV);
        @SuppressWarnings("unchecked")
        Map<String, Object> shown = new LinkedHashMap<>((Map<String, Object>) job.get("manifest"));
        shown.put("maskedItems", List.of());
        job.put("manifest", shown);
        r = v.manifest(json(job), null);
        assertEquals("the job's manifest is not the sealed manifestJson (maskedItems: [] where the seal covers "
                + "[GMSFHM]): read manifestJson, the text the seal covers", r.problem());
        // the job's own count
        job = job(provider, PROVIDER, CSV);
        job.put("records", 3L);
        r = v.manifest(json(job), null);
        assertEquals("the job's records 3 is not the sealed manifest's records 2", r.problem());
        // the job's consumer, the party an auditor reads the export as delivered to
        job = job(provider, PROVIDER, CSV);
        job.put("consumer", "11330000002481030B");
        r = v.manifest(json(job), null);
        assertFalse(r.valid());
        assertEquals("the job's consumer 11330000002481030B is not the sealed manifest's consumerDepartmentCode "
                + CONSUMER, r.problem());
        // the job's createdAt is not sealed: valid, and a note says it was not checked
        job = job(provider, PROVIDER, CSV);
        job.put("createdAt", "2020-01-01T00:00:00Z");
        r = v.manifest(json(job), null);
        assertTrue(r.valid(), r.problem());
        assertTrue(r.notes().contains("the job's createdAt 2020-01-01T00:00:00Z is not in the sealed manifest: it "
                + "was not checked"), String.valueOf(r.notes()));

        // not READY: nothing sealed yet, exit 2
        Path keys = Files.writeString(dir.resolve("keys.json"), pinned);
        Path pending = Files.writeString(dir.resolve("pending.json"), json(line("id", 9L, "status", "PENDING",
                "manifestJson", null, "manifestSeal", null)));
        String[] said = new String[1];
        assertEquals(2, run(said, "verify-manifest", keys.toString(), pending.toString()));
        assertEquals("cannot read the export job " + pending + ": it holds no manifestJson and manifestSeal (GET "
                + "/exports/{id} gives them once the export is READY; its status is PENDING)", said[0].strip());
        Path notJson = Files.writeString(dir.resolve("not.json"), "READY");
        assertEquals(2, run(said, "verify-manifest", keys.toString(), notJson.toString()));
        assertEquals("cannot read the export job " + notJson + ": not a JSON object", said[0].strip());
        Path good = Files.writeString(dir.resolve("good.json"), json(job(provider, PROVIDER, CSV)));
        assertEquals(2, run(said, "verify-manifest", keys.toString(), good.toString(), dir.toString()));
        assertEquals("cannot read the content " + dir + ": it is a directory", said[0].strip());
        assertTrue(JSONObjectUtils.parse(Files.readString(good)).containsKey("manifestSeal"));
    }

    /** The command line's exit code; {@code said[0]} what it wrote to stdout and stderr. */
    static int run(String[] said, String... args) {
        return UsageLogVerifierSealTest.run(said, args);
    }
}
