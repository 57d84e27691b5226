package io.floorgate.gateway.linking;

import java.sql.PreparedStatement;
import java.sql.SQLException;

import io.floorgate.gateway.store.Rows;
import io.floorgate.gateway.store.StoreWrite;

/**
 * Ends a session's row; a row that has ended already keeps its first end. The advertising key and the customer's
 * upstream pseudonym go with the end: only an open session is restored at start and needs them (see
 * {@link Customer}), and the local hash is all that erasure and export match on.
 */
record SessionEndRow(String sessionId, long lastActiveMs, long endedAtMs, EndReason reason) implements StoreWrite {

    static final String SQL = "UPDATE shopper_session SET last_active_at = ?, ended_at = ?, end_reason = ?,"
            + " advertising_key = NULL, customer_pseudonym = NULL WHERE id = ? AND ended_at IS NULL";

    @Override
    public String sql() {
        return SQL;
    }

    @Override
    public void bind(PreparedStatement st) throws SQLException {
        st.setObject(1, Rows.utc(lastActiveMs));
        st.setObject(2, Rows.utc(endedAtMs));
        st.setString(3, reason.column());
        st.setString(4, sessionId);
    }
}
