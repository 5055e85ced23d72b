package cn.onenet.exchange.service;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One usage-log row. {@link #hash()} is SHA-256 over a canonical JSON array of every field plus the previous
 * row's hash, so editing, deleting or reordering any row breaks the chain.
 * <p>
 * Two formats: {@link #CLEAR_DATE} (entries written before the commitment) hashes a covert query's
 * {@code hiddenUntil} in clear, so anyone holding the hash could try the few thousand plausible dates against it.
 * {@link #COMMITTED_DATE} hashes in its place {@code hiddenUntilCommitment} = hex(HMAC-SHA256(key =
 * {@code hiddenUntilSalt}, message = UTF-8 {@code hiddenUntil} as yyyy-MM-dd)), the salt 32 random bytes per covert
 * entry (hex here), and ends the array with the format number. The date and the salt are kept next to the
 * commitment, so whoever may see the date (auditors) can open it, and everyone else can recompute the hash.
 * {@link #WITH_REASON} is the same with the call's reason (事由) right after the outcome: the reason a department
 * system gave for a keyed lookup is as tamper-evident as the rest of the entry. {@link #GRANT_TERMS} is the same with
 * {@code terms} after the reason: a grant's state change (operation {@value GrantEvidence#OPERATION}) carrying the
 * grant's terms and the approvals behind them as one JSON document ({@link GrantEvidence}). A call approved under a
 * grant's chained terms is of the same format, its {@code terms} the document {@code {"termsSeq":n}}: the seq of the
 * grant-terms entry the delivery checked the grant against. A call is logged after it was approved (the grant read is
 * cached for a second, other replicas, the parts of a long export, the group-commit writer), so a suspension or a
 * narrowing may be chained between the approval and the call's entry; the cited seq says which terms the call was
 * approved under.
 */
public record LogEntry(long seq, Instant loggedAt, String requestId, String clientId, String userSub,
        String consumerDepartment, Long grantId, String purpose, String legalBasis, String resourceCode,
        String providerDepartment, List<String> items, List<String> subjectHashes, String operation, String outcome,
        String reason, String terms, LocalDate hiddenUntil, String hiddenUntilSalt, String hiddenUntilCommitment, String prevHash,
        int format) {

    /** Entries written before the commitment: hiddenUntil hashed in clear. */
    public static final int CLEAR_DATE = 1;
    /** Entries written now without a reason: hiddenUntil hashed as a salted commitment; the canonical array ends with 2. */
    public static final int COMMITTED_DATE = 2;
    /**
     * Entries written now with the call's reason (事由, X-Onenet-Reason): as {@link #COMMITTED_DATE}, with the reason
     * after the outcome; the canonical array ends with 3.
     */
    public static final int WITH_REASON = 3;
    /**
     * A grant's state change: as {@link #WITH_REASON}, with the grant's terms (a JSON document, as a string) after the
     * reason; the canonical array ends with 4.
     */
    public static final int GRANT_TERMS = 4;
    /** Bytes of salt per covert entry. */
    public static final int SALT_BYTES = 32;

    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a data access hands the log writer; the writer assigns seq, time and chain. */
    public record Draft(String requestId, String clientId, String userSub, String consumerDepartment, Long grantId,
            String purpose, String legalBasis, String resourceCode, String providerDepartment, List<String> items,
            List<String> subjectHashes, String operation, String outcome, LocalDate hiddenUntil,
            String hiddenLegalBasis, String reason, Long termsSeq) {

        /** Citing no grant-terms entry. */
        public Draft(String requestId, String clientId, String userSub, String consumerDepartment, Long grantId,
                String purpose, String legalBasis, String resourceCode, String providerDepartment, List<String> items,
                List<String> subjectHashes, String operation, String outcome, LocalDate hiddenUntil,
                String hiddenLegalBasis, String reason) {
            this(requestId, clientId, userSub, consumerDepartment, grantId, purpose, legalBasis, resourceCode,
                    providerDepartment, items, subjectHashes, operation, outcome, hiddenUntil, hiddenLegalBasis, reason,
                    null);
        }

        /** The same call, approved under the grant-terms entry {@code termsSeq} (null: none known). */
        public Draft under(Long termsSeq) {
            return new Draft(requestId, clientId, userSub, consumerDepartment, grantId, purpose, legalBasis,
                    resourceCode, providerDepartment, items, subjectHashes, operation, outcome, hiddenUntil,
                    hiddenLegalBasis, reason, termsSeq);
        }

        /** Without a reason (every use but a keyed lookup that states one). */
        public Draft(String requestId, String clientId, String userSub, String consumerDepartment, Long grantId,
                String purpose, String legalBasis, String resourceCode, String providerDepartment, List<String> items,
                List<String> subjectHashes, String operation, String outcome, LocalDate hiddenUntil,
                String hiddenLegalBasis) {
            this(requestId, clientId, userSub, consumerDepartment, grantId, purpose, legalBasis, resourceCode,
                    providerDepartment, items, subjectHashes, operation, outcome, hiddenUntil, hiddenLegalBasis, null);
        }
    }

    /** A new entry, in the current format: a covert one gets a fresh salt and its date's commitment. */
    public static LogEntry of(long seq, Instant at, Draft d, String prevHash) {
        String salt = null;
        String commitment = null;
        if (d.hiddenUntil() != null) {
            byte[] bytes = new byte[SALT_BYTES];
            RANDOM.nextBytes(bytes);
            salt = HexFormat.of().formatHex(bytes);
            commitment = commitment(salt, d.hiddenUntil());
        }
        return new LogEntry(seq, at, d.requestId(), d.clientId(), d.userSub(), d.consumerDepartment(), d.grantId(),
                d.purpose(), d.legalBasis(), d.resourceCode(), d.providerDepartment(), d.items(), d.subjectHashes(),
                d.operation(), d.outcome(), d.reason(), d.termsSeq() == null ? null : citing(d.termsSeq()),
                d.hiddenUntil(), salt, commitment, prevHash,
                d.termsSeq() != null ? GRANT_TERMS : d.reason() == null ? COMMITTED_DATE : WITH_REASON);
    }

    /** The terms document of a call: the seq of the grant-terms entry it was approved under. */
    static String citing(long termsSeq) {
        return "{\"termsSeq\":" + termsSeq + "}";
    }

    /** A grant's state change with its terms document ({@link #GRANT_TERMS}); never covert. */
    public static LogEntry withTerms(long seq, Instant at, Draft d, String terms, String prevHash) {
        return new LogEntry(seq, at, d.requestId(), d.clientId(), d.userSub(), d.consumerDepartment(), d.grantId(),
                d.purpose(), d.legalBasis(), d.resourceCode(), d.providerDepartment(), d.items(), d.subjectHashes(),
                d.operation(), d.outcome(), d.reason(), terms, null, null, null, prevHash, GRANT_TERMS);
    }

    /** hex(HMAC-SHA256(key = the salt's bytes, message = UTF-8 of the date as yyyy-MM-dd)). */
    public static String commitment(String saltHex, LocalDate hiddenUntil) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(HexFormat.of().parseHex(saltHex), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(hiddenUntil.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Whether the stored date and salt open the stored commitment (always true for the clear-date format, which has
     * none). A committed-format entry without a hiding has neither date, salt nor commitment; one with a date must
     * have all three, and the commitment must be the date's under the salt: a date edited (or added, or removed)
     * after the fact does not open it, though the entry hash, computed over the commitment, still fits.
     */
    /** Whether the entry's format hashes its reason; an entry of an older format must have none. */
    public boolean reasonCovered() {
        return format == WITH_REASON ? reason != null : format == GRANT_TERMS || reason == null;
    }

    /** Whether the entry's format hashes grant terms: an entry of another format must have none, one of it some. */
    public boolean termsCovered() {
        return (format == GRANT_TERMS) == (terms != null);
    }

    public boolean opensCommitment() {
        if (format == CLEAR_DATE) {
            return true;
        }
        if (hiddenUntil == null && hiddenUntilSalt == null && hiddenUntilCommitment == null) {
            return true;
        }
        return hiddenUntil != null && hiddenUntilSalt != null && hiddenUntilCommitment != null
                && hiddenUntilSalt.length() == 2 * SALT_BYTES
                && commitment(hiddenUntilSalt, hiddenUntil).equals(hiddenUntilCommitment);
    }

    public String canonical() {
        List<Object> fields = new ArrayList<>();
        fields.add(seq);
        fields.add(loggedAt.toString());
        fields.add(requestId);
        fields.add(clientId);
        fields.add(userSub);
        fields.add(consumerDepartment);
        fields.add(grantId);
        fields.add(purpose);
        fields.add(legalBasis);
        fields.add(resourceCode);
        fields.add(providerDepartment);
        fields.add(items);
        fields.add(subjectHashes);
        fields.add(operation);
        fields.add(outcome);
        if (format == WITH_REASON || format == GRANT_TERMS) {
            fields.add(reason);
        }
        if (format == GRANT_TERMS) {
            fields.add(terms);
        }
        if (format == CLEAR_DATE) {
            fields.add(hiddenUntil == null ? null : hiddenUntil.toString());
            fields.add(prevHash);
        } else {
            // the format closes the array, so a reader knows the field before prevHash is a commitment, not a date
            fields.add(hiddenUntilCommitment);
            fields.add(prevHash);
            fields.add(format);
        }
        return Json.write(fields);
    }

    public String hash() {
        return sha256(canonical());
    }

    public static String sha256(String text) {
        return sha256Bytes(text.getBytes(StandardCharsets.UTF_8));
    }

    public static String sha256Bytes(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
