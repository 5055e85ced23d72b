package cn.onenet.identity.recovery;

import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import cn.onenet.common.identifiers.ResidentIdNumber;
import cn.onenet.identity.model.OutboxMessage;
import cn.onenet.identity.service.RecoveryService;

/** What a test reads where a real SMS / e-mail sender would: the outbox; and fresh identifiers. */
final class Outbox {

    private static final AtomicInteger SEQ = new AtomicInteger(ThreadLocalRandom.current().nextInt(3000));

    private Outbox() {
    }

    /**
     * Works off the recovery queue. The scheduled run may have claimed a row (SKIP LOCKED) and not committed yet, so
     * this waits until the queue is empty rather than trusting one call.
     */
    static void workOff(RecoveryService recovery) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            recovery.processQueue();
            long left = ((Number) OutboxMessage.getEntityManager()
                    .createNativeQuery("SELECT count(*) FROM recovery_request").getSingleResult()).longValue();
            if (left == 0) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(left + " recovery requests are still queued after 10 s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    static List<OutboxMessage> to(String recipient) {
        return OutboxMessage.list("recipient = ?1 order by id", recipient);
    }

    static List<OutboxMessage> to(String recipient, String kind) {
        return OutboxMessage.list("recipient = ?1 and kind = ?2 order by id", recipient, kind);
    }

    /** The one-time token a message carries (43 base64url characters after the label). */
    static String token(OutboxMessage message) {
        Matcher m = Pattern.compile("(?:重置码|确认码)：([A-Za-z0-9_-]{43})").matcher(message.body);
        if (!m.find()) {
            throw new AssertionError("no token in: " + message.body);
        }
        return m.group(1);
    }

    /** A valid, unused 公民身份号码 (distinct birth dates, check digit computed). */
    static String newIdNumber() {
        int n = SEQ.incrementAndGet();
        String first17 = "330106" + LocalDate.of(1960, 1, 1).plusDays(n * 7L).toString().replace("-", "")
                + String.format("%03d", 100 + n % 800);
        return first17 + ResidentIdNumber.checkCharacter(first17);
    }

    static String newPhone() {
        return "139" + String.format("%08d", ThreadLocalRandom.current().nextInt(100_000_000));
    }
}
