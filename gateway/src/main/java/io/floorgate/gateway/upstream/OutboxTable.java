package io.floorgate.gateway.upstream;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import io.floorgate.gateway.store.Rows;

/**
 * The forwarder's view of {@code upstream_outbox}: reads in drain order, deletes what the broker acknowledged or a
 * bound dropped, counts. Rows are only ever inserted through the group committer ({@link OutboxEntry}), whose single
 * writer thread hands out seqs in commit order; so a row with a lower seq never becomes visible after one with a
 * higher seq, and reading "after the last seq sent" misses nothing.
 *
 * <p>Thread: the forwarder's own, which holds the connection; every method blocks.
 */
final class OutboxTable implements AutoCloseable {

    /** Seqs handed out per millisecond at most, on average since the last start (see {@link #moveSeqPastRestore}). */
    static final long SEQS_PER_MS = 1000;

    // "ORDER BY priority, seq", not "ORDER BY seq": with priority fixed the two sort the same, but only the first
    // lets H2 read the drain index in order and stop at the limit; the second made it read and sort a class's
    // whole backlog for every batch, which slowed a drain of 200,000 rows to 2,000 messages a second.
    static final String NEXT_OF_CLASS = "SELECT seq, at, body FROM upstream_outbox"
            + " WHERE priority = ? AND seq > ? AND seq <= ? ORDER BY priority, seq LIMIT ?";
    static final String OLDEST_OF_CLASS = "SELECT seq, LENGTH(body) FROM upstream_outbox"
            + " WHERE priority = ? AND seq > ? AND seq <= ? ORDER BY priority, seq LIMIT ?";
    static final String OLDEST_OF_CLASS_BEFORE = "SELECT seq, LENGTH(body) FROM upstream_outbox"
            + " WHERE priority = ? AND seq > ? AND seq <= ? AND at < ? ORDER BY priority, seq LIMIT ?";
    private static final String TALLY_AFTER = "SELECT COUNT(*), COALESCE(SUM(LENGTH(body)), 0), MAX(seq)"
            + " FROM upstream_outbox WHERE seq > ?";
    private static final String DELETE = "DELETE FROM upstream_outbox WHERE seq = ?";

    private final Connection connection;

    OutboxTable(Connection connection) throws SQLException {
        this.connection = connection;
        connection.setAutoCommit(true);
    }

    /**
     * Moves the seq identity past every seq this store may ever have sent, before anything is written. Across a
     * plain restart the identity already continues where it was; but a database restored from an older backup
     * carries the backup's identity, and would hand out again seqs the chain has already received (and would drop
     * as duplicates). So the next seq is at least now in milliseconds times {@link #SEQS_PER_MS}: above every seq
     * handed out before, as long as the store sent fewer than a million messages per second on average since its
     * previous start and the clock has not gone back. The cost is a gap in seq at every start, which is why a
     * consumer must not read a gap as a loss (an {@code OutboxBoundReached} event reports real losses).
     *
     * @return the next seq
     */
    long moveSeqPastRestore(long nowMs) throws SQLException {
        long next;
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT IDENTITY_BASE FROM INFORMATION_SCHEMA.COLUMNS"
                     + " WHERE TABLE_NAME = 'UPSTREAM_OUTBOX' AND COLUMN_NAME = 'SEQ'")) {
            rs.next();
            next = rs.getLong(1);
        }
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(seq), 0) FROM upstream_outbox")) {
            rs.next();
            next = Math.max(next, rs.getLong(1) + 1);
        }
        next = Math.max(next, Math.multiplyExact(nowMs, SEQS_PER_MS));
        try (Statement st = connection.createStatement()) {
            // DDL takes no parameters; next is a long, so the text is a number.
            st.execute("ALTER TABLE upstream_outbox ALTER COLUMN seq RESTART WITH " + next);
        }
        return next;
    }

    /** The next rows of one class to send: seq above {@code after}, at most {@code upTo}, in seq order. */
    List<OutboxRow> next(OutboxPriority priority, long after, long upTo, int limit) throws SQLException {
        List<OutboxRow> rows = new ArrayList<>();
        try (PreparedStatement st = connection.prepareStatement(NEXT_OF_CLASS)) {
            st.setInt(1, priority.column());
            st.setLong(2, after);
            st.setLong(3, upTo);
            st.setInt(4, limit);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    rows.add(new OutboxRow(rs.getLong(1), priority,
                            rs.getObject(2, OffsetDateTime.class).toInstant().toEpochMilli(), rs.getBytes(3)));
                }
            }
        }
        return rows;
    }

    /** The oldest rows of one class, seq above {@code after} and at most {@code upTo}. */
    List<RowSize> oldest(OutboxPriority priority, long after, long upTo, int limit) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(OLDEST_OF_CLASS)) {
            st.setInt(1, priority.column());
            st.setLong(2, after);
            st.setLong(3, upTo);
            st.setInt(4, limit);
            return sizes(st);
        }
    }

    /** As {@link #oldest}, only rows whose time is before {@code beforeMs}. */
    List<RowSize> oldestBefore(OutboxPriority priority, long after, long upTo, long beforeMs, int limit)
            throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(OLDEST_OF_CLASS_BEFORE)) {
            st.setInt(1, priority.column());
            st.setLong(2, after);
            st.setLong(3, upTo);
            st.setObject(4, Rows.utc(beforeMs));
            st.setInt(5, limit);
            return sizes(st);
        }
    }

    private static List<RowSize> sizes(PreparedStatement st) throws SQLException {
        List<RowSize> rows = new ArrayList<>();
        try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                rows.add(new RowSize(rs.getLong(1), rs.getInt(2)));
            }
        }
        return rows;
    }

    /** Rows, body bytes and the highest seq of the rows above {@code after}; the highest is {@code after} if none. */
    Tally tallyAfter(long after) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(TALLY_AFTER)) {
            st.setLong(1, after);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                long max = rs.getLong(3);
                return new Tally(rs.getLong(1), rs.getLong(2), rs.wasNull() ? after : max);
            }
        }
    }

    /** The time of the row with the lowest seq, or -1 when the outbox is empty. */
    long oldestAtMs() throws SQLException {
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT at FROM upstream_outbox ORDER BY seq LIMIT 1")) {
            return rs.next() ? rs.getObject(1, OffsetDateTime.class).toInstant().toEpochMilli() : -1;
        }
    }

    /**
     * Deletes the rows in one transaction.
     *
     * @return the rows that were still there (a row may be gone already: dropped at a bound, then acknowledged)
     */
    List<RowSize> delete(List<RowSize> rows) throws SQLException {
        if (rows.isEmpty()) {
            return rows;
        }
        connection.setAutoCommit(false);
        try (PreparedStatement st = connection.prepareStatement(DELETE)) {
            for (RowSize row : rows) {
                st.setLong(1, row.seq());
                st.addBatch();
            }
            int[] counts = st.executeBatch();
            connection.commit();
            List<RowSize> deleted = new ArrayList<>(rows.size());
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] > 0) {
                    deleted.add(rows.get(i));
                }
            }
            return deleted;
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }

    /** A row's seq and body size. */
    record RowSize(long seq, int bytes) {
    }

    /** @param maxSeq the highest seq counted */
    record Tally(long rows, long bytes, long maxSeq) {
    }
}
