package cn.onenet.identity.model;

import java.util.Arrays;
import java.util.Optional;

/** An enterprise's status in the legal-person reference (登记状态). Only one in business may be registered here. */
public enum RegistryStatus {
    IN_BUSINESS("存续"),
    REVOKED("吊销"),
    DEREGISTERED("注销");

    public final String label;

    RegistryStatus(String label) {
        this.label = label;
    }

    /** The status named by its Chinese label (在业 counts as 存续, as registers write either) or its constant. */
    public static Optional<RegistryStatus> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.strip();
        if ("在业".equals(v)) {
            return Optional.of(IN_BUSINESS);
        }
        return Arrays.stream(values()).filter(s -> s.label.equals(v) || s.name().equalsIgnoreCase(v)).findFirst();
    }
}
