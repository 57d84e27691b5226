package io.floorgate.gateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits writes to H2 in groups: many events per transaction, so a QoS 1 event can be
 * acknowledged only after it is durable without paying a commit per event.
 *
 * <p>Threads: {@link #offer} and {@link #barrier} are called from event loops and never block.
 * One dedicated writer thread owns the JDBC connection. It takes the first waiting write, then
 * gathers more until the batch has {@code maxBatch} writes or {@code interval} has passed since
 * the first, whichever comes first, commits them in one transaction and hands each listener back
 * to the Vert.x context it came from.
 *
 * <p>Bound: the queue holds {@code capacity} writes; when full, {@link #offer} refuses and the
 * caller holds the message unacknowledged (back-pressure to the device) and tries again.
 *
 * <p>Failures: a write that cannot be bound (its {@link StoreWrite#bind} throws) or breaks a constraint fails alone;
 * the rest of its batch commits. When the writer's connection is lost, the batch in flight fails and the writer
 * reconnects at once; if that fails too, the database is unavailable: everything queued and everything offered from
 * then on fails at once through its listener (never acknowledged, never left waiting), {@link #unavailableReason}
 * says why, and the writer tries again every {@link #RECONNECT_PAUSE} until it can commit again.
 */
public final class GroupCommitter implements AutoCloseable, StorageHealth {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);

    /** A failing commit is tried this many times (a disk briefly full, a lock) before giving up. */
    private static final int COMMIT_ATTEMPTS = 3;
    private static final Duration RETRY_PAUSE = Duration.ofMillis(50);

    private static final String UNIQUE_VIOLATION = "23505";
    private static final String CONSTRAINT_VIOLATION_CLASS = "23";
    /** Forces H2's file to the device: what {@code fsyncOnCommit} adds after every commit. */
    private static final String CHECKPOINT_SYNC = "CHECKPOINT SYNC";
    /** Between attempts to reach a lost database; what is offered meanwhile is refused at once, not held. */
    private static final Duration RECONNECT_PAUSE = Duration.ofSeconds(1);
    /** How long the writer lets its connection take to say it still works (embedded H2 answers at once). */
    private static final int VALIDITY_TIMEOUT_SECONDS = 1;
    /** How long the writer waits for a first write before it checks, while idle, that its connection still works. */
    private static final Duration IDLE_POLL = Duration.ofMillis(100);

    /** A write, or a barrier (write == null) that completes once everything before it is committed. */
    private record Pending(List<StoreWrite> writes, Context context, CommitListener listener) {

        boolean isBarrier() {
            return writes.isEmpty();
        }

        /** For logs: the write's kind, or the first of writes queued together. */
        String name() {
            return isBarrier() ? "barrier" : writes.get(0).getClass().getSimpleName();
        }
    }

    private final Database database;
    private final BlockingQueue<Pending> queue;
    private final int maxBatch;
    private final long intervalNanos;
    private final boolean fsyncOnCommit;
    private final Thread writer;
    private volatile boolean running = true;
    /** Why the database cannot be written, or null while it can; written by the writer thread only. */
    private volatile String unavailableReason;

    private final DistributionSummary batchSize;
    private final Timer commitLatency;
    private final Counter commitFailures;

    public GroupCommitter(Database database, int capacity, int maxBatch, Duration interval, boolean fsyncOnCommit,
                          MeterRegistry metrics) {
        this.database = database;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.maxBatch = maxBatch;
        this.intervalNanos = interval.toNanos();
        this.fsyncOnCommit = fsyncOnCommit;
        this.batchSize = DistributionSummary.builder("floorgate.ingest.commit.batch.size")
                .description("Writes committed per H2 transaction").publishPercentiles(0.5, 0.99).register(metrics);
        this.commitLatency = Timer.builder("floorgate.ingest.commit.latency")
                .description("Time to write and commit one batch").publishPercentiles(0.5, 0.99).register(metrics);
        this.commitFailures = Counter.builder("floorgate.ingest.commit.failures")
                .description("Writes that could not be committed: alone after their batch failed, or while the"
                        + " database was unavailable")
                .register(metrics);
        Gauge.builder("floorgate.ingest.commit.queue", queue, BlockingQueue::size)
                .description("Writes waiting for commit").register(metrics);
        Gauge.builder("floorgate.store.available", this, c -> c.unavailableReason == null ? 1 : 0)
                .description("1 while the database can be written, 0 while every write is refused").register(metrics);
        this.writer = new Thread(this::run, "floorgate-committer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /**
     * Queues a write; its listener runs on {@code context} once the write's batch is committed.
     *
     * @return false when the queue is full: nothing was queued, the caller applies back-pressure
     */
    public boolean offer(StoreWrite write, Context context, CommitListener listener) {
        return running && queue.offer(new Pending(List.of(write), context, listener));
    }

    /**
     * Queues writes that belong together (a pickup step and the upstream event reporting it): they are committed in
     * one transaction, never split across batches, and a failure fails them all. They take one place in the queue;
     * the listener runs once, on {@code context}, for all of them.
     *
     * @return false when the queue is full: none was queued, the caller applies back-pressure
     */
    public boolean offer(List<StoreWrite> writes, Context context, CommitListener listener) {
        return running && queue.offer(new Pending(List.copyOf(writes), context, listener));
    }

    /**
     * Queues a barrier: its listener runs once every write queued before it is committed. A duplicate of
     * an event still waiting for its commit is acknowledged this way, never before the original is durable.
     */
    public boolean barrier(Context context, CommitListener listener) {
        return running && queue.offer(new Pending(List.of(), context, listener));
    }

    /** Completes once everything queued so far is committed and its listeners have been handed back. */
    public CompletableFuture<Void> drain() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        CommitListener listener = new CommitListener() {
            @Override
            public void committed() {
                done.complete(null);
            }

            @Override
            public void failed(Exception cause) {
                done.completeExceptionally(cause);
            }
        };
        try {
            queue.put(new Pending(List.of(), null, listener));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done.completeExceptionally(e);
        }
        return done;
    }


    @Override
    public Optional<String> unavailableReason() {
        return Optional.ofNullable(unavailableReason);
    }

    /** The writer thread: connects, commits until the connection is lost, and connects again, until closed. */
    private void run() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        try {
            while (running || !queue.isEmpty()) {
                Connection connection;
                try {
                    connection = connect();
                } catch (SQLException e) {
                    refuseWhileUnavailable(e);
                    continue;
                }
                try (connection; Statements statements = new Statements(connection)) {
                    commitUntilLost(statements, batch);
                } catch (SQLException e) {
                    // Not known to be committed: failed, so that its publishers send it again (a key collision then
                    // keeps one copy).
                    LOG.warn("Committer lost its database connection ({}); {} writes in flight failed; reconnecting",
                            e.getMessage(), batch.size());
                    fail(batch, e);
                    batch.clear();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Connection connect() throws SQLException {
        Connection connection = database.connect();
        try {
            connection.setAutoCommit(false);
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        if (unavailableReason != null) {
            LOG.info("Committer reached its database again; writes are committed again");
            unavailableReason = null;
        }
        return connection;
    }

    /**
     * Commits batch after batch until closed; while idle, checks that the connection still works, so that a lost
     * database is reported without waiting for a write.
     *
     * @throws SQLException when the connection is lost; {@code batch} then holds the writes in flight
     */
    private void commitUntilLost(Statements statements, List<Pending> batch) throws SQLException, InterruptedException {
        while (running || !queue.isEmpty()) {
            if (!gather(batch)) {
                statements.checkValid();
                continue;
            }
            commitWithRetries(statements, batch);
            batch.clear();
        }
    }

    /**
     * The database cannot be reached: records why, then refuses at once every write queued or offered until the next
     * attempt to reconnect, {@link #RECONNECT_PAUSE} from now, or until closed.
     */
    private void refuseWhileUnavailable(SQLException cause) throws InterruptedException {
        String reason = "database unavailable: " + cause.getMessage();
        if (unavailableReason == null) {
            LOG.error("Committer cannot reach its database ({}); every write is refused until it can", cause.getMessage());
        } else {
            LOG.debug("Committer still cannot reach its database: {}", cause.getMessage());
        }
        unavailableReason = reason;
        SQLException refusal = new SQLException(reason, cause.getSQLState(), cause);
        List<Pending> refused = new ArrayList<>();
        long deadline = System.nanoTime() + RECONNECT_PAUSE.toNanos();
        while (true) {
            queue.drainTo(refused);
            fail(refused, refusal);
            refused.clear();
            long remaining = deadline - System.nanoTime();
            if (!running || remaining <= 0) {
                return;
            }
            Pending next = queue.poll(remaining, TimeUnit.NANOSECONDS);
            if (next != null) {
                refused.add(next);
            }
        }
    }

    /** Fails writes that were never committed, counting them. */
    private void fail(List<Pending> pending, Exception failure) {
        commitFailures.increment(pending.stream().filter(p -> !p.isBarrier()).count());
        complete(pending, failure);
    }

    /** Blocks for the first write, then gathers until the batch is full or the interval has passed. */
    private boolean gather(List<Pending> batch) throws InterruptedException {
        Pending first = queue.poll(IDLE_POLL.toNanos(), TimeUnit.NANOSECONDS);
        if (first == null) {
            return false;
        }
        batch.add(first);
        long deadline = System.nanoTime() + intervalNanos;
        while (batch.size() < maxBatch) {
            queue.drainTo(batch, maxBatch - batch.size());
            long remaining = deadline - System.nanoTime();
            if (batch.size() >= maxBatch || remaining <= 0) {
                break;
            }
            Pending next = queue.poll(remaining, TimeUnit.NANOSECONDS);
            if (next == null) {
                break;
            }
            batch.add(next);
        }
        return true;
    }

    /** The writer's connection and its prepared statements, one per distinct SQL, prepared on first use. */
    private static final class Statements implements AutoCloseable {
        private final Connection connection;
        private final Map<String, PreparedStatement> prepared = new HashMap<>();

        Statements(Connection connection) {
            this.connection = connection;
        }

        PreparedStatement of(String sql) throws SQLException {
            PreparedStatement st = prepared.get(sql);
            if (st == null) {
                st = connection.prepareStatement(sql);
                prepared.put(sql, st);
            }
            return st;
        }

        /** Throws when the connection no longer works (the database was closed under it, or its file is gone). */
        void checkValid() throws SQLException {
            if (!connection.isValid(VALIDITY_TIMEOUT_SECONDS)) {
                throw new SQLException("the committer's connection to the database is closed");
            }
        }

        /** Undoes a failed batch and forgets half-sent statement batches, so a retry starts clean. */
        void rollbackQuietly() {
            try {
                for (PreparedStatement st : prepared.values()) {
                    st.clearBatch();
                }
                connection.rollback();
            } catch (SQLException e) {
                LOG.debug("Rollback after a failed commit failed too", e);
            }
        }

        @Override
        public void close() throws SQLException {
            for (PreparedStatement st : prepared.values()) {
                st.close();
            }
        }
    }

    /** @throws SQLException when the connection is lost: no retry on it can help, and {@code batch} is left as it was */
    private void commitWithRetries(Statements st, List<Pending> batch) throws SQLException, InterruptedException {
        boolean onKeyCollision = false;
        for (int attempt = 1; attempt <= COMMIT_ATTEMPTS; attempt++) {
            long start = System.nanoTime();
            try {
                int writes = writeBatch(st, batch, onKeyCollision);
                commit(st);
                commitLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                if (writes > 0) {
                    batchSize.record(writes);
                }
                complete(batch, null);
                return;
            } catch (UnbindableWrite e) {
                st.rollbackQuietly();
                reject(batch, e);
                attempt--;
                continue;
            } catch (SQLException e) {
                st.rollbackQuietly();
                if (!onKeyCollision && isUniqueViolation(e)) {
                    onKeyCollision = true;
                    attempt--;
                    continue;
                }
                if (isConstraintViolation(e)) {
                    // Deterministic: trying the same batch again would fail the same way.
                    break;
                }
                st.checkValid();
                LOG.warn("Commit of {} writes failed (attempt {} of {}): {}", batch.size(), attempt, COMMIT_ATTEMPTS,
                        e.getMessage());
                Thread.sleep(RETRY_PAUSE.toMillis() * attempt);
            }
        }
        commitOneByOne(st, batch, onKeyCollision);
    }

    /**
     * The batch as a whole could not be committed: one write in it may be bad (a row that breaks a
     * constraint). Each write then gets a transaction of its own, so a bad one fails alone and every
     * other device's events, every other shopper's rows, are still stored and acknowledged.
     */
    private void commitOneByOne(Statements st, List<Pending> batch, boolean onKeyCollision) {
        for (Pending p : batch) {
            if (p.isBarrier()) {
                complete(List.of(p), null);
                continue;
            }
            try {
                writeBatch(st, List.of(p), onKeyCollision);
                commit(st);
                complete(List.of(p), null);
            } catch (SQLException e) {
                st.rollbackQuietly();
                // Counted before its listener is told, so a drain later in the batch finds the count complete.
                commitFailures.increment();
                LOG.warn("Write {} could not be stored: {}", p.name(), e.getMessage());
                complete(List.of(p), e);
            }
        }
    }

    private void commit(Statements st) throws SQLException {
        st.connection.commit();
        if (fsyncOnCommit) {
            st.of(CHECKPOINT_SYNC).execute();
        }
    }

    /** SQL state class 23: the data itself breaks a constraint, so no retry can help. */
    private static boolean isConstraintViolation(SQLException e) {
        for (SQLException cause = e; cause != null; cause = cause.getNextException()) {
            if (cause.getSQLState() != null && cause.getSQLState().startsWith(CONSTRAINT_VIOLATION_CLASS)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isUniqueViolation(SQLException e) {
        for (SQLException cause = e; cause != null; cause = cause.getNextException()) {
            if (UNIQUE_VIOLATION.equals(cause.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Binds the batch in order. Consecutive writes with the same statement go out as one JDBC batch; a
     * change of statement sends what was gathered first, so writes to one row never overtake each other.
     */
    private static int writeBatch(Statements st, List<Pending> batch, boolean onKeyCollision) throws SQLException {
        int writes = 0;
        PreparedStatement open = null;
        for (Pending p : batch) {
            for (StoreWrite write : p.writes()) {
                String fallback = write.sqlOnKeyCollision();
                PreparedStatement statement = st.of(onKeyCollision && fallback != null ? fallback : write.sql());
                if (statement != open) {
                    if (open != null) {
                        open.executeBatch();
                    }
                    open = statement;
                }
                bind(p, write, statement);
                statement.addBatch();
                writes++;
            }
        }
        if (open != null) {
            open.executeBatch();
        }
        return writes;
    }

    /**
     * Binds one write. Anything but an SQL error or a failing JVM thrown by its code is that write's own defect: it
     * is reported as {@link UnbindableWrite}, so that the write fails alone and the writer thread goes on.
     */
    private static void bind(Pending p, StoreWrite row, PreparedStatement statement) throws SQLException {
        try {
            row.bind(statement);
        } catch (SQLException | VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            throw new UnbindableWrite(p, e);
        }
    }

    /** A write whose {@link StoreWrite#bind} threw something other than an SQL error. */
    private static final class UnbindableWrite extends SQLException {
        private final transient Pending pending;

        UnbindableWrite(Pending pending, Throwable cause) {
            super(pending.name() + " could not be bound: " + cause, cause);
            this.pending = pending;
        }
    }

    /** Takes an unbindable write out of its batch and fails it alone; the rest of the batch is written without it. */
    private void reject(List<Pending> batch, UnbindableWrite e) {
        LOG.error("Write {} is refused: its bind failed", e.pending.name(), e.getCause());
        batch.removeIf(p -> p == e.pending);
        fail(List.of(e.pending), e);
    }

    /**
     * Hands listeners back to their contexts, one task per context per batch rather than one per write.
     * Context listeners are dispatched before direct ones, so that when a {@link #drain()} completes,
     * the acknowledgements of everything before it are already queued on their event loops.
     */
    private static void complete(List<Pending> batch, Exception failure) {
        Map<Context, List<CommitListener>> byContext = new IdentityHashMap<>();
        List<CommitListener> direct = new ArrayList<>();
        for (Pending p : batch) {
            if (p.listener() == null) {
                continue;
            }
            if (p.context() == null) {
                direct.add(p.listener());
            } else {
                byContext.computeIfAbsent(p.context(), c -> new ArrayList<>()).add(p.listener());
            }
        }
        byContext.forEach((context, listeners) -> context.runOnContext(v -> {
            for (CommitListener l : listeners) {
                notify(l, failure);
            }
        }));
        for (CommitListener l : direct) {
            try {
                notify(l, failure);
            } catch (RuntimeException e) {
                // A direct listener runs on the writer thread: its defect must not end the writer.
                LOG.error("A commit listener failed on the committer's thread", e);
            }
        }
    }

    private static void notify(CommitListener listener, Exception failure) {
        if (failure == null) {
            listener.committed();
        } else {
            listener.failed(failure);
        }
    }

    /** Stops taking writes, commits what is queued, then ends the writer thread. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        writer.join(Duration.ofSeconds(30).toMillis());
        List<Pending> leftover = new ArrayList<>();
        queue.drainTo(leftover);
        complete(leftover, new IllegalStateException("gateway stopped before the write was committed"));
    }
}
