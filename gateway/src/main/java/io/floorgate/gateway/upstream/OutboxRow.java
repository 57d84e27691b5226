package io.floorgate.gateway.upstream;

/**
 * One row of the outbox as read for sending.
 *
 * @param atMs a summary's window end or the event's time, epoch milliseconds
 * @param body the serialized {@code StoreSummary} or {@code UpstreamEvent}, as {@code priority} says
 */
record OutboxRow(long seq, OutboxPriority priority, long atMs, byte[] body) {

    OutboxTable.RowSize size() {
        return new OutboxTable.RowSize(seq, body.length);
    }
}
