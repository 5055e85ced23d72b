package cn.onenet.exchange.service;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A catch-up read of the catalogue feed (from a filing, inside its transaction) never waits for a poll that is
 * reading the feed.
 */
@QuarkusTest
class CatalogCatchUpTest extends ExchangeTestBase {

    @Test
    void aCatchUpDoesNotWaitForARunningPoll() throws Exception {
        Thread.sleep(1_100); // catch-up reads are spaced a second apart: this one is due
        var entered = FakeCatalog.holdFeed();
        CompletableFuture<Integer> poll;
        try {
            poll = CompletableFuture.supplyAsync(replica::pollOnce);
            assertTrue(entered.await(5, TimeUnit.SECONDS), "the poll reads the feed");
            // the poll holds the feed: the catch-up answers at once instead of waiting for it
            assertTimeoutPreemptively(Duration.ofMillis(1_000), () -> assertFalse(replica.catchUp()));
        } finally {
            FakeCatalog.openFeed();
        }
        poll.get(10, TimeUnit.SECONDS);
    }
}
