package io.floorgate.gateway.ingest;

import java.util.Map;

/**
 * What ingest has refused since the gateway started, read from the same counters as
 * {@code floorgate_ingest_rejected_total}, so the ops page, the upstream summary and a Prometheus scrape agree.
 * Every {@link Rejection} counts, duplicates included, as in the metric: a reader that wants only misbehaviour
 * leaves {@link Rejection#DUPLICATE} out of {@link #rejectedByReason()}.
 *
 * <p>Thread-safe; never blocks. Each answer is an immutable copy; two counts in one answer may be one increment
 * apart from each other, as in a scrape.
 */
public interface RejectionQuery {

    /**
     * Refusals per device label: a configured device id, or {@value IngestMetrics#UNKNOWN_DEVICE} for connections
     * that named no registered device. Devices never refused are absent.
     */
    Map<String, Long> rejectedByDevice();

    /** Refusals per reason, over every device; every reason is present, zeros included. */
    Map<Rejection, Long> rejectedByReason();

    /**
     * Refusals per reason and device label, for readers that take differences between two reads (the upstream
     * summary and its storm watch). Reasons and devices never refused are absent.
     */
    Map<Rejection, Map<String, Long>> rejectedSoFar();
}
