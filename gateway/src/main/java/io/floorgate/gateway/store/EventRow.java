package io.floorgate.gateway.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * One device event to store raw, keyed by (deviceId, bootId, seq).
 *
 * @param kind    the event body's kind, for example nfc_tap
 * @param payload the protobuf bytes exactly as the device sent them
 */
public record EventRow(String deviceId, long bootId, long seq, String kind, long observedAtMs, long receivedAtMs,
                       byte[] payload) implements StoreWrite {

    /**
     * Events are inserted; only a batch that hits the primary key (a replay older than the in-memory
     * window, see ReplayWindow) is written again with MERGE, which leaves what is there. Plain INSERT is
     * the common case and the cheaper one.
     */
    private static final String INSERT = "INSERT INTO device_event (device_id, boot_id, seq, kind, observed_at,"
            + " received_at, payload) VALUES (?, ?, ?, ?, ?, ?, ?)";
    private static final String MERGE = "MERGE INTO device_event (device_id, boot_id, seq, kind, observed_at,"
            + " received_at, payload) KEY (device_id, boot_id, seq) VALUES (?, ?, ?, ?, ?, ?, ?)";

    @Override
    public String sql() {
        return INSERT;
    }

    @Override
    public String sqlOnKeyCollision() {
        return MERGE;
    }

    @Override
    public void bind(PreparedStatement st) throws SQLException {
        st.setString(1, deviceId);
        st.setLong(2, bootId);
        st.setLong(3, seq);
        st.setString(4, kind);
        st.setObject(5, Rows.utc(observedAtMs));
        st.setObject(6, Rows.utc(receivedAtMs));
        st.setBytes(7, payload);
    }
}
