package io.floorgate.gateway.upstream;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.floorgate.config.Upstream;

/**
 * Keeps the outbox within its bounds (rows, body bytes, age) while the uplink is down. Past a bound the oldest
 * summaries go first; a live event goes only once no summary is left, so the chain hears of every pickup and
 * breach as long as there is anything to give up instead. Every drop is reported as a {@link BoundDrop}: the
 * forwarder counts it and queues an {@code OutboxBoundReached} event, so no row is ever dropped in silence.
 *
 * <p>Thread: the forwarder's; blocks.
 */
final class OutboxBounds {

    /** Rows read per page while choosing what to drop. */
    private static final int PAGE = 1000;
    /**
     * Room left for the {@code OutboxBoundReached} event a drop writes (a few dozen bytes serialized), so that the
     * notice does not push the outbox over the bound again at the next pass.
     */
    private static final int NOTICE_ROOM_BYTES = 64;

    private final long maxRows;
    private final long maxBytes;
    private final long maxAgeMs;

    OutboxBounds(Upstream upstream) {
        this.maxRows = upstream.outboxMaxRows();
        this.maxBytes = upstream.outboxMaxBytes();
        this.maxAgeMs = upstream.outboxMaxAge().toMillis();
    }

    /** Drops what is past a bound: first what is too old, then the oldest beyond the row and the byte bound. */
    List<BoundDrop> enforce(OutboxTable table, Backlog backlog, long nowMs) throws SQLException {
        List<BoundDrop> drops = new ArrayList<>();
        long cutoff = nowMs - maxAgeMs;
        Tracker age = new Tracker("age");
        // Seqs follow time closely, so when the row with the lowest seq is young enough, all are: no scan.
        if (backlog.oldestAtMs() >= 0 && backlog.oldestAtMs() < cutoff) {
            drop(table, backlog, age, (after, upTo) -> table.oldestBefore(OutboxPriority.SUMMARY, after, upTo,
                    cutoff, PAGE), (rows, bytes) -> true);
            if (table.oldest(OutboxPriority.SUMMARY, 0, Long.MAX_VALUE, 1).isEmpty()) {
                drop(table, backlog, age, (after, upTo) -> table.oldestBefore(OutboxPriority.EVENT, after, upTo,
                        cutoff, PAGE), (rows, bytes) -> true);
            }
        }
        age.result().ifPresent(drops::add);

        if (backlog.rows() > maxRows) {
            // One more than the excess: the notice of this drop is a row too.
            long target = maxRows - 1;
            oldestFirst(table, backlog, new Tracker("rows"), (rows, bytes) -> rows > target).ifPresent(drops::add);
        }
        if (backlog.bytes() > maxBytes) {
            long target = maxBytes - NOTICE_ROOM_BYTES;
            oldestFirst(table, backlog, new Tracker("bytes"), (rows, bytes) -> bytes > target).ifPresent(drops::add);
        }
        return drops;
    }

    /** Drops the oldest summaries, then, with no summary left, the oldest events, while {@code more} holds. */
    private Optional<BoundDrop> oldestFirst(OutboxTable table, Backlog backlog, Tracker tracker,
                                                      Need more) throws SQLException {
        for (OutboxPriority priority : List.of(OutboxPriority.SUMMARY, OutboxPriority.EVENT)) {
            drop(table, backlog, tracker, (after, upTo) -> table.oldest(priority, after, upTo, PAGE), more);
        }
        return tracker.result();
    }

    private static void drop(OutboxTable table, Backlog backlog, Tracker tracker, Page page, Need more)
            throws SQLException {
        long after = 0;
        while (more.holds(backlog.rows(), backlog.bytes())) {
            List<OutboxTable.RowSize> candidates = page.read(after, backlog.countedUpTo());
            if (candidates.isEmpty()) {
                return;
            }
            List<OutboxTable.RowSize> chosen = new ArrayList<>();
            long rows = backlog.rows();
            long bytes = backlog.bytes();
            for (OutboxTable.RowSize row : candidates) {
                chosen.add(row);
                after = row.seq();
                // Decide on the tally as it will be once the chosen rows are gone.
                rows--;
                bytes -= row.bytes();
                if (!more.holds(rows, bytes)) {
                    break;
                }
            }
            List<OutboxTable.RowSize> deleted = table.delete(chosen);
            backlog.removed(deleted);
            tracker.add(deleted);
        }
    }

    @FunctionalInterface
    private interface Page {
        List<OutboxTable.RowSize> read(long after, long upTo) throws SQLException;
    }

    /** Whether more must be dropped when the outbox holds {@code rows} rows of {@code bytes} body bytes. */
    @FunctionalInterface
    private interface Need {
        boolean holds(long rows, long bytes);
    }

    /** Counts one bound's drops and the range of their seqs. */
    private static final class Tracker {
        private final String bound;
        private long dropped;
        private long first = Long.MAX_VALUE;
        private long last = Long.MIN_VALUE;

        Tracker(String bound) {
            this.bound = bound;
        }

        void add(List<OutboxTable.RowSize> deleted) {
            for (OutboxTable.RowSize row : deleted) {
                dropped++;
                first = Math.min(first, row.seq());
                last = Math.max(last, row.seq());
            }
        }

        Optional<BoundDrop> result() {
            return dropped == 0 ? Optional.empty()
                    : Optional.of(new BoundDrop(bound, dropped, first, last));
        }
    }
}
