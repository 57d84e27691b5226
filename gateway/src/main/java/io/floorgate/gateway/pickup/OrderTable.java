package io.floorgate.gateway.pickup;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import io.floorgate.gateway.linking.CustomerHash;
import io.floorgate.gateway.store.Database;
import io.floorgate.gateway.store.Rows;

/** Reads orders back at start. Blocking: runs on a worker. */
public final class OrderTable {

    private final Database database;

    public OrderTable(Database database) {
        this.database = database;
    }

    /**
     * Every order not yet handed off, and those handed off since {@code handedOffSinceMs}; not the orders an erasure
     * anonymized (they belong to nobody any more).
     */
    public List<Order> restore(long handedOffSinceMs) throws SQLException {
        String sql = "SELECT order_id, customer_hash, pickup_point_id, code, state, session_id, eta_minutes, ready_at,"
                + " on_the_way_at, arrived_at, handed_off_at FROM pickup_order"
                + " WHERE (handed_off_at IS NULL OR handed_off_at >= ?) AND customer_hash IS NOT NULL ORDER BY ready_at";
        List<Order> orders = new ArrayList<>();
        try (Connection c = database.connect(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setObject(1, Rows.utc(handedOffSinceMs));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    int eta = rs.getInt(7);
                    OptionalInt etaMinutes = rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(eta);
                    orders.add(new Order(rs.getString(1), CustomerHash.of(rs.getBytes(2)), rs.getString(3), rs.getString(4),
                            OrderState.valueOf(rs.getString(5)), Optional.ofNullable(rs.getString(6)), etaMinutes,
                            millis(rs, 8).orElseThrow(), millis(rs, 9), millis(rs, 10), millis(rs, 11)));
                }
            }
        }
        return orders;
    }

    private static OptionalLong millis(ResultSet rs, int column) throws SQLException {
        OffsetDateTime at = rs.getObject(column, OffsetDateTime.class);
        return at == null ? OptionalLong.empty() : OptionalLong.of(at.toInstant().toEpochMilli());
    }
}
