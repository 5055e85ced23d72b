package cn.onenet.exchange.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One usage-log row. {@link #hash()} is SHA-256 over a canonical JSON array of every field plus the previous
 * row's hash, so editing, deleting or reordering any row breaks the chain.
 */
public record LogEntry(long seq, Instant loggedAt, String requestId, String clientId, String userSub,
        String consumerDepartment, Long grantId, String purpose, String legalBasis, String resourceCode,
        String providerDepartment, List<String> items, List<String> subjectHashes, String operation, String outcome,
        LocalDate hiddenUntil, String prevHash) {

    /** What a data access hands the log writer; the writer assigns seq, time and chain. */
    public record Draft(String requestId, String clientId, String userSub, String consumerDepartment, Long grantId,
            String purpose, String legalBasis, String resourceCode, String providerDepartment, List<String> items,
            List<String> subjectHashes, String operation, String outcome, LocalDate hiddenUntil,
            String hiddenLegalBasis) {
    }

    public static LogEntry of(long seq, Instant at, Draft d, String prevHash) {
        return new LogEntry(seq, at, d.requestId(), d.clientId(), d.userSub(), d.consumerDepartment(), d.grantId(),
                d.purpose(), d.legalBasis(), d.resourceCode(), d.providerDepartment(), d.items(), d.subjectHashes(),
                d.operation(), d.outcome(), d.hiddenUntil(), prevHash);
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
        fields.add(hiddenUntil == null ? null : hiddenUntil.toString());
        fields.add(prevHash);
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
