package io.floorgate.gateway.upstream;

import java.sql.SQLException;
import java.util.List;

/**
 * What waits in the outbox: rows and body bytes, kept as a running tally so that neither the metrics nor the
 * bounds scan the table. New rows are counted by seq (only rows up to {@link #countedUpTo} are ever sent or
 * dropped, so every row deleted was counted first); a full recount at start and now and then corrects what another
 * writer may have deleted.
 *
 * <p>Thread: updated by the forwarder's thread only; read by anyone (the gauges).
 */
final class Backlog {

    private volatile long rows;
    private volatile long bytes;
    private volatile long oldestAtMs = -1;
    private long countedUpTo;

    void recount(OutboxTable table) throws SQLException {
        OutboxTable.Tally all = table.tallyAfter(0);
        rows = all.rows();
        bytes = all.bytes();
        countedUpTo = all.maxSeq();
        oldestAtMs = table.oldestAtMs();
    }

    /** Counts the rows committed since the last count. */
    void countNew(OutboxTable table) throws SQLException {
        OutboxTable.Tally added = table.tallyAfter(countedUpTo);
        if (added.rows() > 0) {
            rows += added.rows();
            bytes += added.bytes();
            countedUpTo = added.maxSeq();
        }
    }

    void removed(List<OutboxTable.RowSize> deleted) {
        long removedBytes = 0;
        for (OutboxTable.RowSize row : deleted) {
            removedBytes += row.bytes();
        }
        rows -= deleted.size();
        bytes -= removedBytes;
    }

    void refreshOldest(OutboxTable table) throws SQLException {
        oldestAtMs = table.oldestAtMs();
    }

    /** The highest seq counted: nothing above it is sent or dropped until it is counted. */
    long countedUpTo() {
        return countedUpTo;
    }

    long rows() {
        return rows;
    }

    long bytes() {
        return bytes;
    }

    /** The time of the row with the lowest seq as last read, -1 when empty. */
    long oldestAtMs() {
        return rows == 0 ? -1 : oldestAtMs;
    }

    /** Seconds since the time of the oldest row (by seq), 0 when empty. */
    double oldestAgeSeconds(long nowMs) {
        long oldest = oldestAtMs;
        return oldest < 0 || rows == 0 ? 0 : Math.max(0, nowMs - oldest) / 1000.0;
    }

    /** For the uplink's log lines. */
    String describe(long nowMs) {
        return rows + " rows, " + bytes + " bytes, oldest " + Math.round(oldestAgeSeconds(nowMs)) + " s";
    }
}
