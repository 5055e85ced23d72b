package cn.onenet.exchange.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.Test;

import io.vertx.core.impl.NoStackTraceTimeoutException;

/**
 * How a failed webhook attempt is classified: a failure before a connection was had (refused, connect timeout, no
 * pooled connection in time) sent nothing; a timeout of the answer after the request was sent is a delivery.
 */
class WebhookFailureTest {

    @Test
    void aConnectTimeoutSentNothing() {
        Throwable netty = new io.netty.channel.ConnectTimeoutException(
                "connection timed out after 500 ms: /203.0.113.9:443");
        classified(netty, OutboundClient.Failure.CONNECT_TIMEOUT, true, WebhookDispatcher.CONNECT_FAILED);
        assertTrue(WebhookDispatcher.unsent(new ExecutionException(new RuntimeException(netty))), "seen through causes");
    }

    @Test
    void noConnectionFromThePoolInTimeSentNothing() {
        classified(new NoStackTraceTimeoutException(
                "The timeout of 500 ms has been exceeded when getting a connection to 203.0.113.9:443"),
                OutboundClient.Failure.CONNECT_TIMEOUT, true, WebhookDispatcher.CONNECT_FAILED);
    }

    @Test
    void aRefusedConnectionSentNothing() {
        classified(new ConnectException("Connection refused: /203.0.113.9:443"), OutboundClient.Failure.UNREACHABLE,
                true, WebhookDispatcher.CONNECT_FAILED);
    }

    @Test
    void anAnswerTimeoutWasSent() {
        classified(new NoStackTraceTimeoutException("The timeout period of 1000ms has been exceeded while executing "
                + "POST /hook for server 203.0.113.9:443"), OutboundClient.Failure.TIMEOUT, false,
                WebhookDispatcher.TIMEOUT);
        assertFalse(WebhookDispatcher.unsent(new java.util.concurrent.TimeoutException()));
    }

    private static void classified(Throwable failure, OutboundClient.Failure expected, boolean unsent,
            String category) {
        assertEquals(expected, OutboundClient.failure(failure));
        assertEquals(unsent, WebhookDispatcher.unsent(failure), "sent nothing");
        assertEquals(category, WebhookDispatcher.category(failure));
    }
}
