package io.floorgate.gateway.ingest;

/**
 * Told of every connection and message ingest refused, as it is counted. Called on the event loop that refused it,
 * possibly thousands of times a second during a flood: an implementation must be cheap and must not block.
 */
@FunctionalInterface
public interface RejectionListener {

    /** @param deviceLabel the registered device id, or {@code unknown}, as in the metric */
    void rejected(Rejection reason, String deviceLabel);
}
