package io.floorgate.sim.upstream;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import io.floorgate.sim.GatewayDatabase;

/**
 * Fills a stopped gateway's outbox directly, as its summary stage would have over a long outage: rows of
 * {@code upstream_outbox} (the gateway's V6 schema, which the gateway must have created by starting once on the
 * directory), priority "summary", each body a serialized StoreSummary. Then measures what the rows cost on disk:
 * the H2 file's size before and after, both with the database closed as a stopped gateway leaves it, and the size
 * the same rows take once compacted (measured on a copy, so the gateway starts on the file as the fill left it).
 */
final class OutboxFill {

    /** upstream_outbox.priority of a summary (gateway upstream/OutboxPriority.SUMMARY). */
    private static final int SUMMARY_PRIORITY = 1;
    /** Rows per transaction: large enough that commits are not the cost, small enough to bound the undo log. */
    private static final int ROWS_PER_COMMIT = 10_000;

    /**
     * @param fileBytesAfter    the file as the fill left it: live rows plus the pages H2 has not reclaimed yet
     * @param fileBytesCompacted the same rows after SHUTDOWN COMPACT: what the rows themselves take
     */
    record Result(long messages, int bodyBytes, long fileBytesBefore, long fileBytesAfter, long fileBytesCompacted,
                  double seconds) {

        double bytesPerMessage() {
            return (double) (fileBytesAfter - fileBytesBefore) / messages;
        }

        double compactedBytesPerMessage() {
            return (double) (fileBytesCompacted - fileBytesBefore) / messages;
        }

        String line() {
            return String.format("filled=%d bodyBytes=%d fileBefore=%d fileAfter=%d bytesPerMessage=%.1f"
                            + " fileCompacted=%d compactedBytesPerMessage=%.1f fillSeconds=%.1f", messages, bodyBytes,
                    fileBytesBefore, fileBytesAfter, bytesPerMessage(), fileBytesCompacted,
                    compactedBytesPerMessage(), seconds);
        }
    }

    private OutboxFill() {
    }

    static Result fill(Path dataDir, long messages, int bodyBytes) throws SQLException, IOException {
        Path file = GatewayDatabase.file(dataDir);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no gateway database at " + file + ": start the gateway once on this"
                    + " directory so that it creates its schema, then stop it");
        }
        BenchBodies bodies = new BenchBodies(bodyBytes);
        long before = Files.size(file);
        long start = System.nanoTime();
        try (Connection c = DriverManager.getConnection(GatewayDatabase.jdbcUrl(dataDir), GatewayDatabase.USER, "")) {
            requireEmptyOutbox(c);
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO upstream_outbox (priority, at, body) VALUES (?, ?, ?)")) {
                for (long n = 1; n <= messages; n++) {
                    var summary = bodies.summary(n);
                    insert.setInt(1, SUMMARY_PRIORITY);
                    insert.setObject(2, OffsetDateTime.ofInstant(Instant.ofEpochMilli(summary.getWindowEndMs()),
                            ZoneOffset.UTC));
                    insert.setBytes(3, summary.toByteArray());
                    insert.addBatch();
                    if (n % ROWS_PER_COMMIT == 0 || n == messages) {
                        insert.executeBatch();
                        c.commit();
                    }
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long after = Files.size(file);
        return new Result(messages, bodyBytes, before, after, compactedSizeOf(file), seconds);
    }

    /** The size of the database after SHUTDOWN COMPACT, done on a copy: the gateway gets the file as filled. */
    private static long compactedSizeOf(Path file) throws SQLException, IOException {
        Path dir = Files.createTempDirectory(file.toAbsolutePath().getParent().getParent(), "compacted");
        Path copy = GatewayDatabase.file(dir);
        try {
            Files.copy(file, copy);
            try (Connection c = DriverManager.getConnection(GatewayDatabase.jdbcUrl(dir), GatewayDatabase.USER, "");
                 Statement st = c.createStatement()) {
                st.execute("SHUTDOWN COMPACT");
            }
            return Files.size(copy);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }

    private static void requireEmptyOutbox(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); var rs = st.executeQuery("SELECT COUNT(*) FROM upstream_outbox")) {
            rs.next();
            if (rs.getLong(1) != 0) {
                throw new IllegalStateException("the outbox already holds " + rs.getLong(1) + " rows: start from a"
                        + " fresh data directory, or the bytes per message would be wrong");
            }
        }
    }
}
