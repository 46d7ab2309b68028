package dev.vmprov.executor;

/**
 * The hypervisor could not be reached even after retries with backoff (connection refused, timeouts, 5xx): the
 * request must not be failed, nor committed. The route publishes a {@code retrying} status event and leaves the
 * record on the topic, so it is handled again.
 */
public class RetryLaterException extends RuntimeException {
    public RetryLaterException(String message) {
        super(message);
    }
}
