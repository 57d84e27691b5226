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
 * Deletes stored device events older than the configured retention. Runs on a worker thread at a
 * fixed period and deletes in chunks, so a large backlog never holds one long transaction against
 * the group committer.
 */
public final class RetentionSweeper {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionSweeper.class);
    /** Rows per delete transaction: small enough that ingest commits are not held up behind it. */
    private static final int CHUNK_ROWS = 5_000;
    private static final String DELETE_EVENTS = "DELETE FROM device_event WHERE received_at < ? LIMIT " + CHUNK_ROWS;

    private final Database database;
    private final Counter deleted;

    public RetentionSweeper(Database database, MeterRegistry metrics) {
        this.database = database;
        this.deleted = Counter.builder("floorgate.store.retention.deleted").tag("table", "device_event")
                .description("Rows deleted because they outlived their retention").register(metrics);
    }

    /** Deletes device events received longer than {@code retention} ago. Blocking. */
    public long sweepDeviceEvents(Duration retention, Instant now) throws SQLException {
        OffsetDateTime cutoff = OffsetDateTime.ofInstant(now.minus(retention), ZoneOffset.UTC);
        long total = 0;
        try (Connection c = database.connect(); PreparedStatement st = c.prepareStatement(DELETE_EVENTS)) {
            int rows;
            do {
                st.setObject(1, cutoff);
                rows = st.executeUpdate();
                total += rows;
            } while (rows == CHUNK_ROWS);
        }
        if (total > 0) {
            deleted.increment(total);
            LOG.info("Retention: deleted {} device events received before {}", total, cutoff);
        }
        return total;
    }
}
