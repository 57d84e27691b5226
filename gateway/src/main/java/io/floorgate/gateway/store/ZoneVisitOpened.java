package io.floorgate.gateway.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/** A linked shopper entered a zone: opens a zone_visit row (closed by {@link ZoneVisitClosed}). */
public record ZoneVisitOpened(String sessionId, String zoneId, long enteredAtMs) implements StoreWrite {

    private static final String INSERT = "INSERT INTO zone_visit (session_id, zone_id, entered_at) VALUES (?, ?, ?)";
    /**
     * The location stage dates a zone change back to when the new zone began to lead, so two decisions for one
     * shopper can carry the same instant (a quick switch back); the later decision replaces the earlier row.
     */
    private static final String REPLACE = "MERGE INTO zone_visit (session_id, zone_id, entered_at, exited_at, dwell_ms)"
            + " KEY (session_id, entered_at) VALUES (?, ?, ?, NULL, NULL)";

    @Override
    public String sql() {
        return INSERT;
    }

    @Override
    public String sqlOnKeyCollision() {
        return REPLACE;
    }

    @Override
    public void bind(PreparedStatement st) throws SQLException {
        st.setString(1, sessionId);
        st.setString(2, zoneId);
        st.setObject(3, Rows.utc(enteredAtMs));
    }
}
