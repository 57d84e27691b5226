package io.floorgate.gateway.pickup;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;

import io.floorgate.gateway.store.Rows;
import io.floorgate.gateway.store.StoreWrite;

/** An order's whole current row, written at every step: a restart restores the order from it alone. */
record OrderRow(Order order) implements StoreWrite {

    private static final String SQL = "MERGE INTO pickup_order (order_id, customer_hash, pickup_point_id, code, state,"
            + " session_id, eta_minutes, ready_at, on_the_way_at, arrived_at, handed_off_at)"
            + " KEY (order_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    @Override
    public String sql() {
        return SQL;
    }

    @Override
    public void bind(PreparedStatement st) throws SQLException {
        st.setString(1, order.id());
        st.setBytes(2, order.customer().bytes());
        st.setString(3, order.pickupPointId());
        st.setString(4, order.code());
        st.setString(5, order.state().name());
        Rows.setNullable(st, 6, order.sessionId().orElse(null), Types.VARCHAR);
        Rows.setNullable(st, 7, order.etaMinutes().isPresent() ? order.etaMinutes().getAsInt() : null, Types.INTEGER);
        st.setObject(8, Rows.utc(order.readyAtMs()));
        Rows.setNullableTime(st, 9, boxed(order.onTheWayAtMs()));
        Rows.setNullableTime(st, 10, boxed(order.arrivedAtMs()));
        Rows.setNullableTime(st, 11, boxed(order.handedOffAtMs()));
    }

    private static Long boxed(java.util.OptionalLong value) {
        return value.isPresent() ? value.getAsLong() : null;
    }
}
