package io.floorgate.gateway.store;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.h2.api.ErrorCode;
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
 *
 * <p>Disk space: before every batch (and every {@link #IDLE_POLL} while idle) the writer measures the free space on
 * the database's disk, one {@code statvfs} call. Below the configured floor, or once a commit failed because the disk
 * is full, every write queued or offered is refused at once, like a lost database, and counted; the writer measures
 * again every {@link #SPACE_RECHECK} and commits again, by itself, once {@code max(floor, }{@link
 * #RESUME_HEADROOM_BYTES}{@code )} is free. One line is logged each way.
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
    /** Between measurements of the free space while writes are refused for want of it. */
    private static final Duration SPACE_RECHECK = Duration.ofMillis(250);
    /**
     * Writes resume only once this much is free, whatever the floor: after a really full disk (or with a floor of 0)
     * resuming at a few free bytes would fail the next commit again at once.
     */
    static final long RESUME_HEADROOM_BYTES = 1024 * 1024;
    /** H2's codes for a connection that no statement can use any more: the database was closed under it. */
    private static final Set<Integer> CONNECTION_LOST = Set.of(ErrorCode.DATABASE_IS_CLOSED,
            ErrorCode.CONNECTION_BROKEN_1, ErrorCode.DATABASE_CALLED_AT_SHUTDOWN);
    /** How the operating system says a write found no room ({@code ENOSPC}, {@code EDQUOT}). */
    private static final List<String> OUT_OF_SPACE_MESSAGES = List.of("No space left on device", "Disk quota exceeded");

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
    private final FreeSpace freeSpace;
    /** {@code storage.minFreeSpace}, read before every measurement: a configuration reload moves it at once. */
    private final LongSupplier minFreeBytes;
    private final Thread writer;
    private volatile boolean running = true;
    /** Why the database cannot be written, or null while it can; written by the writer thread only. */
    private volatile String unavailableReason;
    /** Why every write is refused for want of disk space, or null while there is room; written by the writer only. */
    private volatile String outOfSpaceReason;
    /** The free space last measured, for the gauge; written by the writer only. */
    private volatile long freeBytes;

    private final DistributionSummary batchSize;
    private final Timer commitLatency;
    private final Counter commitFailures;
    private final Counter spaceRefusals;

    /** A committer without a free-space floor: it refuses writes only once a commit finds the disk full. */
    public GroupCommitter(Database database, int capacity, int maxBatch, Duration interval, boolean fsyncOnCommit,
                          MeterRegistry metrics) {
        this(database, capacity, maxBatch, interval, fsyncOnCommit, FreeSpace.UNMEASURED, () -> 0, metrics);
    }

    /**
     * @param freeSpace    the database's disk, measured before every batch
     * @param minFreeBytes below this much free space every write is refused ({@code storage.minFreeSpace}, as
     *                     reloaded)
     */
    public GroupCommitter(Database database, int capacity, int maxBatch, Duration interval, boolean fsyncOnCommit,
                          FreeSpace freeSpace, LongSupplier minFreeBytes, MeterRegistry metrics) {
        this.database = database;
        this.freeSpace = freeSpace;
        this.minFreeBytes = minFreeBytes;
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
        Gauge.builder("floorgate.store.available", this, c -> c.unavailableReason().isEmpty() ? 1 : 0)
                .description("1 while the database can be written, 0 while every write is refused").register(metrics);
        this.spaceRefusals = Counter.builder("floorgate.store.disk.refusals")
                .description("Writes refused, never acknowledged, because the data directory's disk was below"
                        + " storage.minFreeSpace or full").register(metrics);
        if (freeSpace != FreeSpace.UNMEASURED) {
            Gauge.builder("floorgate.store.disk.free", this, c -> c.freeBytes).baseUnit("bytes")
                    .description("Usable space on the data directory's disk, as last measured by the committer")
                    .register(metrics);
            Gauge.builder("floorgate.store.disk.floor", minFreeBytes::getAsLong).baseUnit("bytes")
                    .description("storage.minFreeSpace: below it every write is refused").register(metrics);
        }
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
     * Commits {@code writes} together, as {@link #offer(List, Context, CommitListener)} does, for a caller that answers
     * once they are stored: completes on {@code context} once they are committed; fails with {@link StoreRefused},
     * busy at once when the queue is full (nothing queued), or once committing them failed.
     */
    public Future<Void> commit(List<StoreWrite> writes, Context context) {
        Promise<Void> done = Promise.promise();
        boolean queued = offer(writes, context, new CommitListener() {
            @Override
            public void committed() {
                done.complete();
            }

            @Override
            public void failed(Exception cause) {
                done.fail(StoreRefused.failed(cause));
            }
        });
        return queued ? done.future() : Future.failedFuture(StoreRefused.queueFull());
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
        String outOfSpace = outOfSpaceReason;
        return Optional.ofNullable(outOfSpace != null ? outOfSpace : unavailableReason);
    }

    /** The writer thread: connects, commits until the connection is lost, and connects again, until closed. */
    private void run() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        try {
            while (running || !queue.isEmpty()) {
                if (outOfSpace()) {
                    // Not even a reconnect while the disk is full: opening the database writes files too.
                    refuseForSpace();
                    continue;
                }
                Connection connection;
                try {
                    connection = connect();
                } catch (SQLException e) {
                    if (isOutOfSpace(e)) {
                        startRefusingForSpace(e);
                    } else {
                        refuseWhileUnavailable(e);
                    }
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
     * database is reported without waiting for a write. Returns after a full disk has room again, for a new
     * connection.
     *
     * @throws SQLException when the connection is lost; {@code batch} then holds the writes in flight
     */
    private void commitUntilLost(Statements statements, List<Pending> batch) throws SQLException, InterruptedException {
        boolean refusedForSpace = false;
        while (running || !queue.isEmpty()) {
            if (outOfSpace()) {
                refuseForSpace();
                refusedForSpace = true;
                continue;
            }
            if (refusedForSpace) {
                // H2 closes the database when a write finds the disk full, and a connection to a closed database may
                // still call itself valid: a new connection, made by the caller, reopens it before writes are taken.
                return;
            }
            if (!gather(batch)) {
                statements.checkValid();
                continue;
            }
            commitWithRetries(statements, batch);
            batch.clear();
        }
    }

    /**
     * Measures the free space: true while writes are to be refused for want of it. Starts refusing below the floor;
     * once refusing, goes on until {@code max(floor, RESUME_HEADROOM_BYTES)} is free, then says so once.
     */
    private boolean outOfSpace() {
        long usable;
        try {
            usable = freeSpace.usableBytes();
        } catch (IOException e) {
            // Not known: the next commit tells whether the disk takes writes.
            LOG.debug("Could not measure the free space on {}: {}", freeSpace.disk(), e.toString());
            return outOfSpaceReason != null;
        }
        freeBytes = usable;
        long floor = minFreeBytes.getAsLong();
        if (outOfSpaceReason == null) {
            if (usable >= floor) {
                return false;
            }
            startRefusingForSpace("disk full: " + freeSpace.disk() + " has " + megabytes(usable)
                    + " free, below storage.minFreeSpace (" + megabytes(floor) + ")");
            return true;
        }
        if (usable < resumeAtBytes()) {
            return true;
        }
        LOG.info("Committer: {} has {} free again; writes are committed again", freeSpace.disk(), megabytes(usable));
        outOfSpaceReason = null;
        return false;
    }

    private long resumeAtBytes() {
        return Math.max(minFreeBytes.getAsLong(), RESUME_HEADROOM_BYTES);
    }

    private void startRefusingForSpace(SQLException cause) {
        startRefusingForSpace("disk full: " + freeSpace.disk() + " refused a write ("
                + systemsWord(cause).orElse(cause.getMessage()) + ")");
    }

    /** The one log line of a full disk, until it has room again. */
    private void startRefusingForSpace(String reason) {
        if (outOfSpaceReason == null) {
            LOG.error("Committer: {}; every write is refused, never acknowledged, until {} is free", reason,
                    megabytes(resumeAtBytes()));
        }
        outOfSpaceReason = reason;
    }

    /** Refuses at once every write queued or offered until the next measurement, or until closed. */
    private void refuseForSpace() throws InterruptedException {
        refuseFor(SPACE_RECHECK, new SQLException(outOfSpaceReason), this::failForSpace);
    }

    private void failForSpace(List<Pending> pending, Exception refusal) {
        spaceRefusals.increment(pending.stream().filter(p -> !p.isBarrier()).count());
        fail(pending, refusal);
    }

    /**
     * Whether a failed statement or commit found no room on the disk: the operating system said so somewhere in the
     * cause chain, or the disk has less than {@link #RESUME_HEADROOM_BYTES} left now.
     */
    private boolean isOutOfSpace(SQLException failure) {
        if (systemsWord(failure).isPresent()) {
            return true;
        }
        try {
            return freeSpace.usableBytes() < RESUME_HEADROOM_BYTES;
        } catch (IOException e) {
            return false;
        }
    }

    /** The operating system's "no space" message somewhere in the cause chain, if it is there. */
    private static Optional<String> systemsWord(SQLException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            String message = cause.getMessage();
            if (message != null && OUT_OF_SPACE_MESSAGES.stream().anyMatch(message::contains)) {
                return Optional.of(message);
            }
        }
        return Optional.empty();
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
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
        refuseFor(RECONNECT_PAUSE, new SQLException(reason, cause.getSQLState(), cause), this::fail);
    }

    /** Fails at once every write queued or offered for {@code pause}, or until closed, through {@code failing}. */
    private void refuseFor(Duration pause, SQLException refusal, BiConsumer<List<Pending>, Exception> failing)
            throws InterruptedException {
        List<Pending> refused = new ArrayList<>();
        long deadline = System.nanoTime() + pause.toNanos();
        while (true) {
            queue.drainTo(refused);
            failing.accept(refused, refusal);
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
                if (isOutOfSpace(e)) {
                    // Not known to be committed: refused, so that its publishers send it again once there is room.
                    startRefusingForSpace(e);
                    failForSpace(batch, new SQLException(outOfSpaceReason, e));
                    return;
                }
                if (!onKeyCollision && isUniqueViolation(e)) {
                    onKeyCollision = true;
                    attempt--;
                    continue;
                }
                if (CONNECTION_LOST.contains(e.getErrorCode())) {
                    throw e;
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
        for (int i = 0; i < batch.size(); i++) {
            Pending p = batch.get(i);
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
                if (isOutOfSpace(e)) {
                    startRefusingForSpace(e);
                    failForSpace(batch.subList(i, batch.size()), new SQLException(outOfSpaceReason, e));
                    return;
                }
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
