package cn.onenet.common.problem;

/**
 * Marks a 502/503/504 answer a service gives because a system behind it failed (a provider's endpoint the exchange
 * calls), not because the service itself is failing. The gateway forwards such an answer as it is: it neither retries
 * the request nor counts it against the service's circuit breaker, so one failing provider cannot shut the whole
 * service off at the edge.
 */
public final class FailureOrigin {

    /** Response header naming where the failure happened. */
    public static final String HEADER = "X-Failure-Origin";

    /** Its value for a failure beyond the answering service. */
    public static final String DOWNSTREAM = "downstream";

    private FailureOrigin() {
    }
}
