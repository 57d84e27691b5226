package io.floorgate.gateway.pickup;

import java.sql.PreparedStatement;
import java.sql.SQLException;

import io.floorgate.gateway.store.Rows;
import io.floorgate.gateway.store.StoreWrite;

/** One transition of an order, with its time and cause. */
record StepRow(String orderId, OrderState step, long atMs, StepSource source) implements StoreWrite {

    private static final String SQL = "INSERT INTO pickup_step (order_id, step, at, source) VALUES (?, ?, ?, ?)";

    @Override
    public String sql() {
        return SQL;
    }

    @Override
    public void bind(PreparedStatement st) throws SQLException {
        st.setString(1, orderId);
        st.setString(2, step.name());
        st.setObject(3, Rows.utc(atMs));
        st.setString(4, source.label());
    }
}
