package io.floorgate.gateway.ingest;

import io.floorgate.gateway.limits.RefusalLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one path by which the MQTT listener refuses a client that is hostile or broken: it counts the refusal in
 * {@code floorgate_ingest_rejected_total} (reason and device label) and logs it: the first refusal of each reason
 * at once, then at most one line per reason a minute saying how many more there were. A storm of refused
 * connections or packets is then a few lines in the log, not one per connection or packet.
 *
 * <p>Threads: called from every event loop; the counters are concurrent and the refusal log is too.
 */
final class Refusals {

    private static final Logger LOG = LoggerFactory.getLogger(Refusals.class);

    private final IngestMetrics metrics;
    private final RefusalLog<Rejection> log = new RefusalLog<>(Rejection.class);

    Refusals(IngestMetrics metrics) {
        this.metrics = metrics;
    }

    /**
     * @param deviceLabel a configured device id, or {@link IngestMetrics#UNKNOWN_DEVICE} before (or without)
     *                    authentication: never a client-chosen string
     * @param remote      where the client connected from
     * @param detail      what it did, for the log line
     */
    void refuse(Rejection reason, String deviceLabel, Object remote, String detail) {
        metrics.rejected(reason, deviceLabel);
        log.pass(reason, reason.label()).ifPresent(heldBack -> LOG.info("Refused {} from {} (device {}): {}{}",
                reason.label(), remote, deviceLabel, detail, heldBack));
    }
}
