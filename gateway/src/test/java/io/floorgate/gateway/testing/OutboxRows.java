package io.floorgate.gateway.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import io.floorgate.gateway.upstream.OutboxEntry;
import io.floorgate.proto.v1.DeviceOffline;
import io.floorgate.proto.v1.StoreSummary;
import io.floorgate.proto.v1.UpstreamEvent;

/**
 * Writes outbox rows as a stage's {@link OutboxEntry} would, for upstream tests (the summary stage is not theirs
 * to run): one transaction per call, from one thread, so seqs become visible in the order they were handed out, as
 * with the group committer.
 */
public final class OutboxRows {

    private OutboxRows() {
    }

    /** A summary of the window that ends at {@code endMs}. */
    public static OutboxEntry summary(long endMs) {
        return OutboxEntry.summary(StoreSummary.newBuilder().setWindowStartMs(endMs - 60_000).setWindowEndMs(endMs)
                .build());
    }

    /** A live event: a device that went offline, {@code lastSeenMs} telling the events apart. */
    public static OutboxEntry event(long lastSeenMs) {
        return OutboxEntry.event(UpstreamEvent.newBuilder().setDeviceOffline(DeviceOffline.newBuilder()
                .setDeviceId(TestStore.BLE).setLastSeenMs(lastSeenMs)).build(), lastSeenMs);
    }

    /** Writes the entries in one transaction; returns their seqs in order. */
    public static List<Long> write(String jdbcUrl, List<OutboxEntry> entries) {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "floorgate", "")) {
            c.setAutoCommit(false);
            List<Long> seqs = new ArrayList<>();
            for (OutboxEntry entry : entries) {
                try (PreparedStatement st = c.prepareStatement(entry.sql(), Statement.RETURN_GENERATED_KEYS)) {
                    entry.bind(st);
                    st.executeUpdate();
                    try (ResultSet keys = st.getGeneratedKeys()) {
                        keys.next();
                        seqs.add(keys.getLong(1));
                    }
                }
            }
            c.commit();
            return seqs;
        } catch (SQLException e) {
            throw new IllegalStateException("could not write the outbox rows", e);
        }
    }

    /** The rows waiting in the outbox. */
    public static long count(String jdbcUrl) {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "floorgate", "");
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM upstream_outbox")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("could not count the outbox", e);
        }
    }
}
