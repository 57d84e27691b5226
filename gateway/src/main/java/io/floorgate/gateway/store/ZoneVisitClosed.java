package io.floorgate.gateway.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * A linked shopper left a zone: closes the row {@link ZoneVisitOpened} wrote. The committer keeps the order
 * of writes, so the update never overtakes its insert; if the insert was dropped (queue full) it updates nothing.
 */
public record ZoneVisitClosed(String sessionId, long enteredAtMs, long exitedAtMs) implements StoreWrite {

    private static final String UPDATE = "UPDATE zone_visit SET exited_at = ?, dwell_ms = ?"
            + " WHERE session_id = ? AND entered_at = ?";

    @Override
    public String sql() {
        return UPDATE;
    }

    @Override
    public void bind(PreparedStatement st) throws SQLException {
        st.setObject(1, Rows.utc(exitedAtMs));
        st.setLong(2, exitedAtMs - enteredAtMs);
        st.setString(3, sessionId);
        st.setObject(4, Rows.utc(enteredAtMs));
    }
}
