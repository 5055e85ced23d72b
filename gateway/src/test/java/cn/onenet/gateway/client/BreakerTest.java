package cn.onenet.gateway.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.vertx.circuitbreaker.CircuitBreakerState;

/** The upstream breaker's rules, on a clock the test moves (the proxied behaviour is in ResilienceTest). */
class BreakerTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final Breaker breaker = new Breaker("catalog", 3, 10_000, now::get);

    private void fail(int times) {
        for (int i = 0; i < times; i++) {
            assertTrue(breaker.allow());
            breaker.failed();
        }
    }

    @Test
    void opensAfterMaxFailuresAndRefusesUntilTheResetTimeout() {
        fail(2);
        assertEquals(CircuitBreakerState.CLOSED, breaker.state());
        fail(1);
        assertEquals(CircuitBreakerState.OPEN, breaker.state());
        assertFalse(breaker.allow());
        now.addAndGet(9_999);
        assertFalse(breaker.allow());
        now.addAndGet(1);
        assertEquals(CircuitBreakerState.HALF_OPEN, breaker.state());
    }

    @Test
    void retryAfterIsTheTimeLeftUntilTheTrial() {
        fail(3);
        assertEquals(10, breaker.retryAfterSeconds());
        now.addAndGet(7_500);
        assertEquals(3, breaker.retryAfterSeconds());
        now.addAndGet(2_500);
        // the trial is let through; whoever comes while it runs may try again shortly
        assertTrue(breaker.allow());
        assertFalse(breaker.allow());
        assertEquals(1, breaker.retryAfterSeconds());
    }

    @Test
    void aSuccessStartsTheCountAgain() {
        fail(2);
        assertTrue(breaker.allow());
        breaker.succeeded();
        fail(2);
        assertEquals(CircuitBreakerState.CLOSED, breaker.state());
        fail(1);
        assertEquals(CircuitBreakerState.OPEN, breaker.state());
    }

    @Test
    void failuresOlderThanTheWindowDoNotCount() {
        fail(2);
        now.addAndGet(Breaker.WINDOW_MILLIS);
        fail(2);
        assertEquals(CircuitBreakerState.CLOSED, breaker.state());
        fail(1);
        assertEquals(CircuitBreakerState.OPEN, breaker.state());
    }

    @Test
    void halfOpenLetsOneTrialThroughWhoseSuccessCloses() {
        fail(3);
        now.addAndGet(10_000);
        assertTrue(breaker.allow(), "the trial");
        assertFalse(breaker.allow(), "no second call while the trial runs");
        breaker.succeeded();
        assertEquals(CircuitBreakerState.CLOSED, breaker.state());
        assertTrue(breaker.allow());
        assertTrue(breaker.allow());
    }

    @Test
    void aFailedTrialOpensAgainForAnotherResetTimeout() {
        fail(3);
        now.addAndGet(10_000);
        assertTrue(breaker.allow());
        breaker.failed();
        assertEquals(CircuitBreakerState.OPEN, breaker.state());
        assertFalse(breaker.allow());
        now.addAndGet(10_000);
        assertTrue(breaker.allow());
    }
}
