package io.floorgate.gateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import io.floorgate.gateway.Component;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces retention for every table registered with it: deletes the rows dated longer ago than the table's
 * configured retention, once at start and then every {@link #PERIOD}. Each table's owner registers it where it is
 * wired, with a supplier of its retention, so a configuration reload applies at the next sweep.
 *
 * <p>Threads: {@link #register} from any thread; the timer fires on the context that started the sweeper, and the
 * deletes run on a worker, in chunks, so a large backlog never holds one long transaction against the group
 * committer. A tick that finds the previous sweep still running is skipped.
 */
public final class RetentionSweeper implements Component {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionSweeper.class);
    /** Retention is counted in days: a sweep every ten minutes keeps nothing measurably longer than configured. */
    public static final Duration PERIOD = Duration.ofMinutes(10);
    /** Rows per delete transaction: small enough that ingest commits are not held up behind it. */
    private static final int CHUNK_ROWS = 5_000;

    /** One table under retention: which column dates a row, how long rows are kept, and the rows deleted. */
    private record Retained(String table, String dateColumn, Supplier<Duration> retention, Counter deleted) {
        String deleteSql() {
            // A row whose date is NULL (a session still open) is never older than the cutoff, so it is kept.
            return "DELETE FROM " + table + " WHERE " + dateColumn + " < ? LIMIT " + CHUNK_ROWS;
        }
    }

    private final Vertx vertx;
    private final Database database;
    private final MeterRegistry metrics;
    private final List<Retained> tables = new CopyOnWriteArrayList<>();
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private long timer = -1;

    public RetentionSweeper(Vertx vertx, Database database, MeterRegistry metrics) {
        this.vertx = vertx;
        this.database = database;
        this.metrics = metrics;
    }

    /**
     * Puts a table under retention: a row is deleted once its {@code dateColumn} is older than {@code retention}.
     * The names are the code's own constants, never input.
     */
    public void register(String table, String dateColumn, Supplier<Duration> retention) {
        tables.add(new Retained(table, dateColumn, retention, Counter.builder("floorgate.store.retention.deleted")
                .tag("table", table).description("Rows deleted because they outlived their retention")
                .register(metrics)));
    }

    @Override
    public String name() {
        return "retention";
    }

    /** Sweeps once now (without waiting for it) and then every {@link #PERIOD}. */
    @Override
    public Future<Void> start() {
        sweepOnWorker();
        timer = vertx.setPeriodic(PERIOD.toMillis(), id -> sweepOnWorker());
        return Future.succeededFuture();
    }

    @Override
    public Future<Void> stop() {
        vertx.cancelTimer(timer);
        return Future.succeededFuture();
    }

    private void sweepOnWorker() {
        if (!sweeping.compareAndSet(false, true)) {
            LOG.debug("Retention: the previous sweep is still running; this tick is skipped");
            return;
        }
        vertx.executeBlocking(() -> sweep(Instant.now()), false).onComplete(done -> sweeping.set(false));
    }

    /**
     * Deletes, from every registered table, the rows older than that table's retention at {@code now}. A table
     * that cannot be swept is logged and the others are still swept. Blocking.
     *
     * @return the rows deleted, all tables together
     */
    long sweep(Instant now) {
        long total = 0;
        for (Retained retained : tables) {
            OffsetDateTime cutoff = OffsetDateTime.ofInstant(now.minus(retained.retention().get()), ZoneOffset.UTC);
            try {
                total += sweep(retained, cutoff);
            } catch (SQLException e) {
                LOG.warn("Retention sweep of {} failed: {}", retained.table(), e.toString());
            }
        }
        return total;
    }

    private long sweep(Retained retained, OffsetDateTime cutoff) throws SQLException {
        long total = 0;
        try (Connection c = database.connect(); PreparedStatement st = c.prepareStatement(retained.deleteSql())) {
            int rows;
            do {
                st.setObject(1, cutoff);
                rows = st.executeUpdate();
                total += rows;
            } while (rows == CHUNK_ROWS);
        } finally {
            if (total > 0) {
                retained.deleted().increment(total);
                LOG.info("Retention: deleted {} rows of {} dated before {}", total, retained.table(), cutoff);
            }
        }
        return total;
    }
}
