package io.floorgate.gateway.linking;

import java.sql.PreparedStatement;
import java.sql.SQLException;

import io.floorgate.gateway.store.StoreWrite;

/**
 * The shopper withdrew location consent: the zones stored with the session's touches go, as they would never have
 * been stored without it ({@link SessionTouchRow}). The touches themselves stay: a tap is the shopper's own act.
 */
record TouchZonesCleared(String sessionId) implements StoreWrite {

    private static final String SQL = "UPDATE session_touch SET zone_id = NULL WHERE session_id = ?";

    @Override
    public String sql() {
        return SQL;
    }

    @Override
    public void bind(PreparedStatement st) throws SQLException {
        st.setString(1, sessionId);
    }
}
