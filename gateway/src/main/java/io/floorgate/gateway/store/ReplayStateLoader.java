package io.floorgate.gateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * Reads back what H2 holds of a device's latest boot, so that the replay window survives a
 * gateway restart. Blocking: call from a worker thread.
 */
public final class ReplayStateLoader {

    /** As many of the latest seqs as the in-memory replay window covers. */
    private static final int WINDOW = 1024;

    private static final String LATEST_BOOT = "SELECT boot_id FROM device_event WHERE device_id = ?"
            + " ORDER BY received_at DESC LIMIT 1";
    private static final String RECENT_SEQS = "SELECT seq FROM device_event WHERE device_id = ? AND boot_id = ?"
            + " ORDER BY seq DESC LIMIT " + WINDOW;

    /** @param bootId 0 when the device has no stored event */
    public record StoredBoot(long bootId, long[] seqs) {
    }

    private final Database database;

    public ReplayStateLoader(Database database) {
        this.database = database;
    }

    public StoredBoot latestBoot(String deviceId) throws SQLException {
        try (Connection c = database.connect()) {
            long bootId;
            try (PreparedStatement st = c.prepareStatement(LATEST_BOOT)) {
                st.setString(1, deviceId);
                try (ResultSet rs = st.executeQuery()) {
                    if (!rs.next()) {
                        return new StoredBoot(0, new long[0]);
                    }
                    bootId = rs.getLong(1);
                }
            }
            long[] seqs = new long[WINDOW];
            int count = 0;
            try (PreparedStatement st = c.prepareStatement(RECENT_SEQS)) {
                st.setString(1, deviceId);
                st.setLong(2, bootId);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        seqs[count++] = rs.getLong(1);
                    }
                }
            }
            return new StoredBoot(bootId, Arrays.copyOf(seqs, count));
        }
    }
}
