package io.floorgate.gateway.linking;

import java.sql.PreparedStatement;
import java.sql.SQLException;

import io.floorgate.gateway.store.StoreWrite;

/** A session's consents as the shopper changed them during the session; a restart restores them. */
record SessionConsentRow(ShopperSession session) implements StoreWrite {

    private static final String SQL = "UPDATE shopper_session SET consent_location = ?, consent_analytics = ?"
            + " WHERE id = ?";

    @Override
    public String sql() {
        return SQL;
    }

    @Override
    public void bind(PreparedStatement st) throws SQLException {
        st.setBoolean(1, session.locationConsent());
        st.setBoolean(2, session.analyticsConsent());
        st.setString(3, session.id());
    }
}
