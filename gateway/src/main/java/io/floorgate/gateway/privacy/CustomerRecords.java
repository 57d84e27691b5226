package io.floorgate.gateway.privacy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import com.google.protobuf.InvalidProtocolBufferException;
import io.floorgate.gateway.linking.CustomerHash;
import io.floorgate.gateway.store.Database;
import io.floorgate.proto.v1.DeviceEvent;
import io.floorgate.proto.v1.KioskInteraction;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Everything the gateway holds about one customer, found by their keyed hash: their sessions, and through them their
 * zone visits, touches and kiosk feedback; their orders and the orders' steps. Reads only; the erasure's writes are
 * {@link ErasureRows}. Secrets are never exported (a session's token hash and advertising key): they say nothing about
 * the shopper and would let the reader impersonate the app.
 *
 * <p>Blocking: call from worker threads only.
 */
public final class CustomerRecords {

    static final String SESSIONS_OF = "SELECT id FROM shopper_session WHERE customer_hash = ?";
    static final String ORDERS_OF = "SELECT order_id FROM pickup_order WHERE customer_hash = ?";

    private static final String SESSIONS = "SELECT id AS session_id, app_instance, consent_location,"
            + " consent_analytics, rotation_period_ms, started_at, last_active_at, ended_at, end_reason"
            + " FROM shopper_session WHERE customer_hash = ? ORDER BY started_at";
    private static final String ZONE_VISITS = "SELECT session_id, zone_id, entered_at, exited_at, dwell_ms"
            + " FROM zone_visit WHERE session_id IN (" + SESSIONS_OF + ") ORDER BY entered_at";
    private static final String TOUCHES = "SELECT session_id, device_id, kind, zone_id, at FROM session_touch"
            + " WHERE session_id IN (" + SESSIONS_OF + ") ORDER BY at";
    private static final String ORDERS = "SELECT order_id, pickup_point_id, code, state, session_id, eta_minutes,"
            + " ready_at, on_the_way_at, arrived_at, handed_off_at FROM pickup_order WHERE customer_hash = ?"
            + " ORDER BY ready_at";
    private static final String STEPS = "SELECT order_id, step, at, source FROM pickup_step"
            + " WHERE order_id IN (" + ORDERS_OF + ") ORDER BY at";
    private static final String FEEDBACK = "SELECT t.session_id, e.device_id, e.received_at, e.payload"
            + " FROM device_event e JOIN session_touch t ON t.device_id = e.device_id AND t.boot_id = e.boot_id"
            + " AND t.seq = e.seq WHERE t.kind = 'feedback' AND t.session_id IN (" + SESSIONS_OF + ")"
            + " ORDER BY e.received_at";
    private static final String LAST_ERASURE = "SELECT at, staff_id, sessions_deleted, zone_visits_deleted,"
            + " touches_deleted, device_events_deleted, orders_anonymized, steps_anonymized FROM erasures"
            + " WHERE customer_hash = ? ORDER BY id DESC LIMIT 1";

    private final Database database;

    public CustomerRecords(Database database) {
        this.database = database;
    }

    /**
     * One JSON document of everything held about the customer: {@code sessions}, {@code zoneVisits}, {@code touches},
     * {@code orders} (each with its {@code steps}) and {@code kioskFeedback}, times as ISO-8601 instants.
     */
    public JsonObject export(CustomerHash customer) throws SQLException {
        try (Connection c = database.connect()) {
            JsonArray orders = rows(c, ORDERS, customer);
            JsonArray steps = rows(c, STEPS, customer);
            for (Object o : orders) {
                JsonObject order = (JsonObject) o;
                JsonArray own = new JsonArray();
                steps.stream().map(JsonObject.class::cast)
                        .filter(s -> s.getString("orderId").equals(order.getString("orderId")))
                        .forEach(s -> own.add(s.copy()));
                own.forEach(s -> ((JsonObject) s).remove("orderId"));
                order.put("steps", own);
            }
            return new JsonObject().put("customer", customer.label())
                    .put("sessions", rows(c, SESSIONS, customer))
                    .put("zoneVisits", rows(c, ZONE_VISITS, customer))
                    .put("touches", rows(c, TOUCHES, customer))
                    .put("orders", orders)
                    .put("kioskFeedback", feedback(c, customer));
        }
    }

    /** The ids of the customer's orders, for the erasure notice. */
    public List<String> orderIds(CustomerHash customer) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection c = database.connect(); PreparedStatement st = c.prepareStatement(ORDERS_OF)) {
            st.setBytes(1, customer.bytes());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    /** The customer's last erasure record: when, by whom, how many rows; never the data. */
    public JsonObject lastErasure(CustomerHash customer) throws SQLException {
        try (Connection c = database.connect()) {
            JsonArray found = rows(c, LAST_ERASURE, customer);
            if (found.isEmpty()) {
                throw new SQLException("the erasure just committed is not in the erasures table");
            }
            JsonObject row = found.getJsonObject(0);
            JsonObject rows = new JsonObject();
            for (String column : List.of("sessionsDeleted", "zoneVisitsDeleted", "touchesDeleted",
                    "deviceEventsDeleted", "ordersAnonymized", "stepsAnonymized")) {
                rows.put(column, row.remove(column));
            }
            return new JsonObject().put("customer", customer.label()).put("erasedAt", row.getString("at"))
                    .put("erasedBy", row.getString("staffId")).put("rows", rows);
        }
    }

    /** The customer's kiosk feedback, decoded from the device events their kiosk sessions linked. */
    private static JsonArray feedback(Connection c, CustomerHash customer) throws SQLException {
        JsonArray feedback = new JsonArray();
        try (PreparedStatement st = c.prepareStatement(FEEDBACK)) {
            st.setBytes(1, customer.bytes());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    KioskInteraction.Feedback scores;
                    try {
                        scores = DeviceEvent.parseFrom(rs.getBytes(4)).getKioskInteraction().getFeedback();
                    } catch (InvalidProtocolBufferException e) {
                        throw new SQLException("a stored kiosk event does not parse: " + e.getMessage(), e);
                    }
                    JsonObject row = new JsonObject().put("sessionId", rs.getString(1))
                            .put("deviceId", rs.getString(2))
                            .put("at", rs.getObject(3, OffsetDateTime.class).toInstant().toString());
                    if (scores.hasCsat()) {
                        row.put("csat", scores.getCsat());
                    }
                    if (scores.hasNps()) {
                        row.put("nps", scores.getNps());
                    }
                    if (scores.hasCes()) {
                        row.put("ces", scores.getCes());
                    }
                    feedback.add(row);
                }
            }
        }
        return feedback;
    }

    /**
     * The rows of a query whose every parameter is the customer's hash, as JSON objects keyed by the columns' names in
     * camel case; times as ISO-8601 instants, NULLs left out.
     */
    private static JsonArray rows(Connection c, String sql, CustomerHash customer) throws SQLException {
        JsonArray rows = new JsonArray();
        try (PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 1; i <= st.getParameterMetaData().getParameterCount(); i++) {
                st.setBytes(i, customer.bytes());
            }
            try (ResultSet rs = st.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    JsonObject row = new JsonObject();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        Object value = rs.getObject(i);
                        if (value instanceof OffsetDateTime at) {
                            value = at.toInstant().toString();
                        }
                        if (value != null) {
                            row.put(camel(meta.getColumnLabel(i)), value);
                        }
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    private static String camel(String column) {
        StringBuilder name = new StringBuilder();
        boolean upper = false;
        for (char ch : column.toLowerCase(java.util.Locale.ROOT).toCharArray()) {
            if (ch == '_') {
                upper = true;
            } else {
                name.append(upper ? Character.toUpperCase(ch) : ch);
                upper = false;
            }
        }
        return name.toString();
    }
}
