package io.floorgate.gateway.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/** A shopper withdrew location consent and the store's policy is {@code delete}: every zone visit of the session. */
public record ZoneVisitsDeleted(String sessionId) implements StoreWrite {

    private static final String SQL = "DELETE FROM zone_visit WHERE session_id = ?";

    @Override
    public String sql() {
        return SQL;
    }

    @Override
    public void bind(PreparedStatement st) throws SQLException {
        st.setString(1, sessionId);
    }
}
