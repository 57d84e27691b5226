package io.floorgate.gateway.linking;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.google.protobuf.ByteString;
import io.floorgate.gateway.store.Database;
import io.floorgate.gateway.store.Rows;
import io.floorgate.gateway.store.SealedColumn;

/**
 * The {@code shopper_session} table outside the commit path: restore at start, and the expiry sweep's writes.
 * Retention (deleting sessions ended long ago) is the store's {@code RetentionSweeper}'s.
 * Neither acknowledges anything to a client, so they run in their own transaction on a worker instead of taking
 * places in the group committer's queue that devices are waiting for.
 *
 * <p>Blocking: call from worker threads only.
 */
public final class SessionTable {

    private static final String EXPIRE_STALE = "UPDATE shopper_session SET ended_at = ?, end_reason = 'expired',"
            + " customer_pseudonym = NULL WHERE ended_at IS NULL AND last_active_at < ?";
    private static final String SELECT_OPEN = "SELECT id, token_hash, advertising_key, rotation_period_ms, app_instance,"
            + " customer_hash, customer_pseudonym, consent_location, consent_analytics, started_at,"
            + " last_active_at FROM shopper_session WHERE ended_at IS NULL";
    private static final String TOUCH = "UPDATE shopper_session SET last_active_at = ? WHERE id = ? AND ended_at IS NULL";

    private final Database database;

    public SessionTable(Database database) {
        this.database = database;
    }

    /**
     * Ends as expired the open sessions idle for {@code inactivityTimeout} (the gateway was down while they timed
     * out), then reads back the ones still open, their advertising keys unsealed.
     */
    public List<StoredSession> restore(long nowMs, Duration inactivityTimeout) throws SQLException {
        try (Connection c = database.connect()) {
            try (PreparedStatement st = c.prepareStatement(EXPIRE_STALE)) {
                st.setObject(1, Rows.utc(nowMs));
                st.setObject(2, Rows.utc(nowMs - inactivityTimeout.toMillis()));
                st.executeUpdate();
            }
            List<StoredSession> open = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement(SELECT_OPEN); ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString(1);
                    byte[] advertisingKey = database.sealer().unseal(SealedColumn.ADVERTISING_KEY, id, rs.getBytes(3));
                    byte[] hash = rs.getBytes(6);
                    Optional<Customer> customer = hash == null ? Optional.empty() : Optional.of(
                            new Customer(CustomerHash.of(hash), ByteString.copyFrom(rs.getBytes(7))));
                    ShopperSession session = new ShopperSession(id, rs.getString(5), customer, rs.getBoolean(8),
                            rs.getBoolean(9), advertisingKey, Duration.ofMillis(rs.getLong(4)), epochMs(rs, 10));
                    open.add(new StoredSession(session, rs.getBytes(2), epochMs(rs, 11)));
                }
            }
            return open;
        }
    }

    /**
     * Writes one sweep in one transaction. Ended sessions are deleted by the store's retention sweeper, with which
     * this table is registered by its end time.
     */
    public void record(SessionSweep sweep) throws SQLException {
        try (Connection c = database.connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement touch = c.prepareStatement(TOUCH);
                 PreparedStatement end = c.prepareStatement(SessionEndRow.SQL)) {
                for (SessionActivity a : sweep.active()) {
                    touch.setObject(1, Rows.utc(a.lastActiveMs()));
                    touch.setString(2, a.sessionId());
                    touch.addBatch();
                }
                touch.executeBatch();
                for (SessionActivity a : sweep.expired()) {
                    new SessionEndRow(a.sessionId(), a.lastActiveMs(), sweep.atMs(), EndReason.EXPIRED).bind(end);
                    end.addBatch();
                }
                end.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static long epochMs(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant().toEpochMilli();
    }
}
