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
 * Deletes stored device events, zone visits, pickup orders and session touches older than the configured retention. Runs on a
 * worker thread at a fixed period and deletes in chunks, so a large backlog never holds one long transaction against
 * the group committer.
 */
public final class RetentionSweeper {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionSweeper.class);
    /** Rows per delete transaction: small enough that ingest commits are not held up behind it. */
    private static final int CHUNK_ROWS = 5_000;
    /** One table under retention: which column dates a row, and the counter of rows deleted from it. */
    private record Retained(String table, String dateColumn, Counter deleted) {
        String deleteSql() {
            return "DELETE FROM " + table + " WHERE " + dateColumn + " < ? LIMIT " + CHUNK_ROWS;
        }
    }

    private final Database database;
    private final Retained events;
    /** By entry: a visit still open after the whole retention period is as stale as a closed one. */
    private final Retained visits;
    /** By readiness: an order ready longer ago than the whole retention period is done with, whatever its state. */
    private final Retained orders;
    private final Retained steps;
    private final Retained touches;

    public RetentionSweeper(Database database, MeterRegistry metrics) {
        this.database = database;
        this.events = retained(metrics, "device_event", "received_at");
        this.visits = retained(metrics, "zone_visit", "entered_at");
        this.orders = retained(metrics, "pickup_order", "ready_at");
        this.steps = retained(metrics, "pickup_step", "at");
        this.touches = retained(metrics, "session_touch", "at");
    }

    private static Retained retained(MeterRegistry metrics, String table, String dateColumn) {
        return new Retained(table, dateColumn, Counter.builder("floorgate.store.retention.deleted").tag("table", table)
                .description("Rows deleted because they outlived their retention").register(metrics));
    }

    /** Deletes device events received longer than {@code retention} ago. Blocking. */
    public long sweepDeviceEvents(Duration retention, Instant now) throws SQLException {
        return sweep(events, cutoff(retention, now));
    }

    /** Deletes zone visits entered longer than {@code retention} ago. Blocking. */
    public long sweepZoneVisits(Duration retention, Instant now) throws SQLException {
        return sweep(visits, cutoff(retention, now));
    }

    /** Deletes touches linked to sessions longer than {@code retention} ago. Blocking. */
    public long sweepTouches(Duration retention, Instant now) throws SQLException {
        return sweep(touches, cutoff(retention, now));
    }

    /** Deletes pickup orders made ready, and pickup steps taken, longer than {@code retention} ago. Blocking. */
    public long sweepOrders(Duration retention, Instant now) throws SQLException {
        OffsetDateTime cutoff = cutoff(retention, now);
        long deletedOrders = sweep(orders, cutoff);
        sweep(steps, cutoff);
        return deletedOrders;
    }

    private static OffsetDateTime cutoff(Duration retention, Instant now) {
        return OffsetDateTime.ofInstant(now.minus(retention), ZoneOffset.UTC);
    }

    private long sweep(Retained retained, OffsetDateTime cutoff) throws SQLException {
        long total = deleteInChunks(retained.deleteSql(), cutoff);
        if (total > 0) {
            retained.deleted().increment(total);
            LOG.info("Retention: deleted {} rows of {} dated before {}", total, retained.table(), cutoff);
        }
        return total;
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
