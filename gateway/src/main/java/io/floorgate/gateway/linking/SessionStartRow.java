package io.floorgate.gateway.linking;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;

import io.floorgate.gateway.store.Rows;
import io.floorgate.gateway.store.StoreWrite;

/**
 * A session's row, written at check-in; the app gets its token only once this is committed.
 *
 * @param sealedAdvertisingKey the session's advertising key as {@code Sealer} stores it
 */
record SessionStartRow(ShopperSession session, byte[] tokenHash, byte[] sealedAdvertisingKey) implements StoreWrite {

    private static final String SQL = "INSERT INTO shopper_session (id, token_hash, advertising_key, rotation_period_ms,"
            + " app_instance, customer_hash, customer_pseudonym, consent_location, consent_analytics, started_at,"
            + " last_active_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    @Override
    public String sql() {
        return SQL;
    }

    @Override
    public void bind(PreparedStatement st) throws SQLException {
        st.setString(1, session.id());
        st.setBytes(2, tokenHash);
        st.setBytes(3, sealedAdvertisingKey);
        st.setLong(4, session.rotationPeriod().toMillis());
        st.setString(5, session.appInstance());
        Rows.setNullable(st, 6, session.customer().map(c -> c.hash().bytes()).orElse(null), Types.BINARY);
        Rows.setNullable(st, 7, session.customer().map(c -> c.pseudonym().toByteArray()).orElse(null), Types.BINARY);
        st.setBoolean(8, session.locationConsent());
        st.setBoolean(9, session.analyticsConsent());
        st.setObject(10, Rows.utc(session.startedAtMs()));
        st.setObject(11, Rows.utc(session.startedAtMs()));
    }
}
