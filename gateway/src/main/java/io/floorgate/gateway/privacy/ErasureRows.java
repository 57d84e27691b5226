package io.floorgate.gateway.privacy;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

import io.floorgate.gateway.linking.CustomerHash;
import io.floorgate.gateway.store.Rows;
import io.floorgate.gateway.store.StoreWrite;

/**
 * The erasure of one customer as writes for one transaction, in order: the erasure record (its row counts taken by
 * the same transaction, before anything is removed), then the removals.
 *
 * <p>Deleted: the customer's sessions (app instance, advertising key, token hash), their zone visits, their touches,
 * and the device events that were their touches presenting a token (NFC taps, kiosk session scans). Anonymized: the
 * kiosk product lookups and feedback their kiosk sessions linked stay as device events with no link to anyone, like a
 * shopper's who never checked in; their orders and steps keep their times, for the store's wait statistics, under a
 * new random order id, with no customer, session, code or ETA.
 */
final class ErasureRows {

    private static final String TOKEN_EVENTS = "FROM device_event e WHERE EXISTS (SELECT 1 FROM session_touch t"
            + " JOIN shopper_session s ON s.id = t.session_id WHERE s.customer_hash = ?"
            + " AND t.kind IN ('nfc_tap', 'kiosk_scan') AND t.device_id = e.device_id AND t.boot_id = e.boot_id"
            + " AND t.seq = e.seq)";
    private static final String RECORD = "INSERT INTO erasures (at, staff_id, customer_hash, sessions_deleted,"
            + " zone_visits_deleted, touches_deleted, device_events_deleted, orders_anonymized, steps_anonymized)"
            + " VALUES (?, ?, ?,"
            + " (SELECT COUNT(*) FROM shopper_session WHERE customer_hash = ?),"
            + " (SELECT COUNT(*) FROM zone_visit WHERE session_id IN (" + CustomerRecords.SESSIONS_OF + ")),"
            + " (SELECT COUNT(*) FROM session_touch WHERE session_id IN (" + CustomerRecords.SESSIONS_OF + ")),"
            + " (SELECT COUNT(*) " + TOKEN_EVENTS + "),"
            + " (SELECT COUNT(*) FROM pickup_order WHERE customer_hash = ?),"
            + " (SELECT COUNT(*) FROM pickup_step WHERE order_id IN (" + CustomerRecords.ORDERS_OF + ")))";
    /** The same random id for an order's row and its steps, which no one can link back without the discarded salt. */
    private static final String ANONYMOUS_ID = "'erased-' || LEFT(RAWTOHEX(HASH('SHA-256', STRINGTOUTF8(? || order_id))),"
            + " 24)";

    private ErasureRows() {
    }

    /**
     * @param salt random, used for this erasure only and then forgotten: it makes the anonymous order ids
     */
    static List<StoreWrite> of(CustomerHash customer, String staffId, long atMs, String salt) {
        byte[] hash = customer.bytes();
        return List.of(
                new Write(RECORD, Rows.utc(atMs), staffId, hash, hash, hash, hash, hash, hash, hash),
                new Write("DELETE " + TOKEN_EVENTS, hash),
                new Write("DELETE FROM session_touch WHERE session_id IN (" + CustomerRecords.SESSIONS_OF + ")", hash),
                new Write("DELETE FROM zone_visit WHERE session_id IN (" + CustomerRecords.SESSIONS_OF + ")", hash),
                new Write("UPDATE pickup_step SET order_id = " + ANONYMOUS_ID + " WHERE order_id IN ("
                        + CustomerRecords.ORDERS_OF + ")", salt, hash),
                new Write("UPDATE pickup_order SET order_id = " + ANONYMOUS_ID + ", customer_hash = NULL,"
                        + " session_id = NULL, code = 'erased', eta_minutes = NULL WHERE customer_hash = ?", salt, hash),
                new Write("DELETE FROM shopper_session WHERE customer_hash = ?", hash));
    }

    /** One statement of the erasure with its parameters, in order. */
    private record Write(String sql, Object... parameters) implements StoreWrite {

        @Override
        public void bind(PreparedStatement st) throws SQLException {
            for (int i = 0; i < parameters.length; i++) {
                st.setObject(i + 1, parameters[i]);
            }
        }
    }
}
