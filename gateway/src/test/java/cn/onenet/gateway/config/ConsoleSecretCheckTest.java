package cn.onenet.gateway.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.LaunchMode;

/** A production gateway does not start with the published fallback console secret; the message says what to set. */
class ConsoleSecretCheckTest {

    @Test
    void productionWithTheFallbackSecretIsRefused() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> ConsoleSecretCheck.check(LaunchMode.NORMAL, "change-me"));
        assertTrue(refused.getMessage().contains("QUARKUS_OIDC_CONSOLE_CREDENTIALS_SECRET"), refused.getMessage());
        assertTrue(refused.getMessage().contains("GATEWAY_CONSOLE_CLIENT_SECRET"), refused.getMessage());
        assertThrows(IllegalStateException.class, () -> ConsoleSecretCheck.check(LaunchMode.NORMAL, " "));
        assertThrows(IllegalStateException.class, () -> ConsoleSecretCheck.check(LaunchMode.NORMAL, null));
    }

    @Test
    void aRealSecretOrATestOrDevRunStarts() {
        assertDoesNotThrow(() -> ConsoleSecretCheck.check(LaunchMode.NORMAL, "a-secret-of-the-deployment-0123456789"));
        assertDoesNotThrow(() -> ConsoleSecretCheck.check(LaunchMode.TEST, "change-me"));
        assertDoesNotThrow(() -> ConsoleSecretCheck.check(LaunchMode.DEVELOPMENT, "change-me"));
    }
}
