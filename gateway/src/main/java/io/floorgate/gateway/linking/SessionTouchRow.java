package io.floorgate.gateway.linking;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;

import io.floorgate.gateway.store.Rows;
import io.floorgate.gateway.store.StoreWrite;

/**
 * A touch, stored with its session. Keyed by the device event it is, so an event queued again (after the commit
 * queue was full) or replayed past the in-memory window leaves one row. The zone is left empty for a shopper without
 * location consent.
 */
public record SessionTouchRow(Touch touch) implements StoreWrite {

    private static final String INSERT = "INSERT INTO session_touch (device_id, boot_id, seq, session_id, kind,"
            + " zone_id, at) VALUES (?, ?, ?, ?, ?, ?, ?)";
    private static final String MERGE = "MERGE INTO session_touch (device_id, boot_id, seq, session_id, kind,"
            + " zone_id, at) KEY (device_id, boot_id, seq) VALUES (?, ?, ?, ?, ?, ?, ?)";

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
        st.setString(1, touch.deviceId());
        st.setLong(2, touch.bootId());
        st.setLong(3, touch.seq());
        st.setString(4, touch.sessionId());
        st.setString(5, touch.kind().label());
        Rows.setNullable(st, 6, touch.locationConsent() ? touch.deviceZoneId() : null, Types.VARCHAR);
        st.setObject(7, Rows.utc(touch.atMs()));
    }
}
