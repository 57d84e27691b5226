package io.floorgate.gateway.upstream;

import io.floorgate.proto.v1.OutboxBoundReached;
import io.floorgate.proto.v1.UpstreamEvent;

/**
 * What one bound dropped in one pass.
 *
 * @param bound    rows, bytes or age: the label of {@code floorgate_upstream_dropped_total} and the event's bound
 * @param firstSeq the lowest seq dropped
 * @param lastSeq  the highest seq dropped
 */
record BoundDrop(String bound, long dropped, long firstSeq, long lastSeq) {

    /** The event that tells the chain which of its gaps this drop made. */
    OutboxEntry notice(long atMs) {
        return OutboxEntry.event(UpstreamEvent.newBuilder().setOutboxBoundReached(OutboxBoundReached.newBuilder()
                .setBound(bound).setDropped(dropped).setFirstDroppedSeq(firstSeq).setLastDroppedSeq(lastSeq))
                .build(), atMs);
    }
}
