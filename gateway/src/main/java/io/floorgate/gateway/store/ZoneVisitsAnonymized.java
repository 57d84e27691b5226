package io.floorgate.gateway.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * A shopper withdrew location consent and the store's policy is {@code anonymize}: the session's zone visits are
 * kept under {@code anonymousId}, random and used for nothing else, so they still count in the store's footfall
 * (one visitor, not one per visit) but lead to no session, app or customer.
 */
public record ZoneVisitsAnonymized(String sessionId, String anonymousId) implements StoreWrite {

    private static final String SQL = "UPDATE zone_visit SET session_id = ? WHERE session_id = ?";

    @Override
    public String sql() {
        return SQL;
    }

    @Override
    public void bind(PreparedStatement st) throws SQLException {
        st.setString(1, anonymousId);
        st.setString(2, sessionId);
    }
}
