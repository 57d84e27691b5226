package io.floorgate.gateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes stored device events, zone visits and pickup orders older than the configured retention. Runs on a worker thread at a
 * fixed period and deletes in chunks, so a large backlog never holds one long transaction against
 * the group committer.
 */
public final class RetentionSweeper {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionSweeper.class);
    /** Rows per delete transaction: small enough that ingest commits are not held up behind it. */
    private static final int CHUNK_ROWS = 5_000;
    private static final String DELETE_EVENTS = "DELETE FROM device_event WHERE received_at < ? LIMIT " + CHUNK_ROWS;
    /** By entry: a visit still open after the whole retention period is as stale as a closed one. */
    private static final String DELETE_VISITS = "DELETE FROM zone_visit WHERE entered_at < ? LIMIT " + CHUNK_ROWS;

    /** By readiness: an order ready longer ago than the whole retention period is done with, whatever its state. */
    private static final String DELETE_ORDERS = "DELETE FROM pickup_order WHERE ready_at < ? LIMIT " + CHUNK_ROWS;
    private static final String DELETE_STEPS = "DELETE FROM pickup_step WHERE at < ? LIMIT " + CHUNK_ROWS;

    private final Database database;
    private final Counter deleted;
    private final Counter visitsDeleted;
    private final Counter ordersDeleted;
    private final Counter stepsDeleted;

    public RetentionSweeper(Database database, MeterRegistry metrics) {
        this.database = database;
        this.deleted = deletedCounter(metrics, "device_event");
        this.visitsDeleted = deletedCounter(metrics, "zone_visit");
        this.ordersDeleted = deletedCounter(metrics, "pickup_order");
        this.stepsDeleted = deletedCounter(metrics, "pickup_step");
    }

    private static Counter deletedCounter(MeterRegistry metrics, String table) {
        return Counter.builder("floorgate.store.retention.deleted").tag("table", table)
                .description("Rows deleted because they outlived their retention").register(metrics);
    }

    /** Deletes device events received longer than {@code retention} ago. Blocking. */
    public long sweepDeviceEvents(Duration retention, Instant now) throws SQLException {
        OffsetDateTime cutoff = OffsetDateTime.ofInstant(now.minus(retention), ZoneOffset.UTC);
        long total = deleteInChunks(DELETE_EVENTS, cutoff);
        if (total > 0) {
            deleted.increment(total);
            LOG.info("Retention: deleted {} device events received before {}", total, cutoff);
        }
        return total;
    }

    /** Deletes zone visits entered longer than {@code retention} ago. Blocking. */
    public long sweepZoneVisits(Duration retention, Instant now) throws SQLException {
        OffsetDateTime cutoff = OffsetDateTime.ofInstant(now.minus(retention), ZoneOffset.UTC);
        long total = deleteInChunks(DELETE_VISITS, cutoff);
        if (total > 0) {
            visitsDeleted.increment(total);
            LOG.info("Retention: deleted {} zone visits entered before {}", total, cutoff);
        }
        return total;
    }

    /** Deletes pickup orders made ready, and pickup steps taken, longer than {@code retention} ago. Blocking. */
    public long sweepOrders(Duration retention, Instant now) throws SQLException {
        OffsetDateTime cutoff = OffsetDateTime.ofInstant(now.minus(retention), ZoneOffset.UTC);
        long orders = deleteInChunks(DELETE_ORDERS, cutoff);
        long steps = deleteInChunks(DELETE_STEPS, cutoff);
        ordersDeleted.increment(orders);
        stepsDeleted.increment(steps);
        if (orders + steps > 0) {
            LOG.info("Retention: deleted {} pickup orders and {} steps from before {}", orders, steps, cutoff);
        }
        return orders;
    }

    private long deleteInChunks(String sql, OffsetDateTime cutoff) throws SQLException {
        long total = 0;
        try (Connection c = database.connect(); PreparedStatement st = c.prepareStatement(sql)) {
            int rows;
            do {
                st.setObject(1, cutoff);
                rows = st.executeUpdate();
                total += rows;
            } while (rows == CHUNK_ROWS);
        }
        return total;
    }
}
