package io.floorgate.gateway.upstream;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

import io.floorgate.config.StoreConfig;
import io.floorgate.config.Upstream;
import io.floorgate.gateway.Component;
import io.floorgate.gateway.store.CommitListener;
import io.floorgate.gateway.store.Database;
import io.floorgate.gateway.store.GroupCommitter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the outbox upstream (DESIGN, "Gateway -> upstream"): reads it in drain order (live events, then summaries,
 * each by seq), wraps each row in its envelope, publishes it at QoS 1 within an in-flight window and at most at
 * {@code drainMaxRate}, and deletes a row only once the broker has acknowledged it. Paho keeps nothing: on a
 * reconnect everything unacknowledged is read from the outbox again and resent with the same seq, which the chain
 * drops as a duplicate. While the uplink is down, rows wait in the outbox within its bounds ({@link OutboxBounds}),
 * and a bound that drops rows queues an {@code OutboxBoundReached} event. Without a brokerUri nothing is sent and the
 * bounds still hold. When the uplink has been down with rows waiting for {@link #BACKLOG_ALARM_AFTER}, the
 * {@link UplinkAlarm} is raised, and cleared once the uplink is back and the backlog drained.
 *
 * <p>Threads: one thread of its own, {@code floorgate-upstream}, holds the outbox's JDBC connection and does all the
 * reading, publishing, deleting and pruning (the bounds drop by priority, which the store's retention sweeper does
 * not know, so that pruning lives in this loop). Paho's threads only queue acknowledgements and free room in the
 * window. {@link #start} and {@link #stop} hand their blocking parts to a worker.
 */
public final class Forwarder implements Component {

    private static final Logger LOG = LoggerFactory.getLogger(Forwarder.class);

    /** Rows read per query; a batch is also capped to a tenth of a second at the drain rate (see {@link #send}). */
    static final int BATCH = 500;
    /** How soon a new row is noticed while nothing is waiting: the latency a live event adds at least. */
    static final long IDLE_POLL_MS = 50;
    /** Bounds, the backlog's oldest age and the growth estimate are looked at this often. */
    static final long HOUSEKEEPING_MS = 1000;
    /** A full recount of the backlog this often corrects rows deleted by anything but this forwarder. */
    static final long RECOUNT_MS = TimeUnit.MINUTES.toMillis(5);
    /** At a graceful stop, how long acknowledgements of what is in flight may take to arrive. */
    static final long STOP_QUIESCE_MS = 2000;
    static final int CONNECT_TIMEOUT_S = 10;
    static final int KEEP_ALIVE_S = 30;
    /**
     * How long the uplink may be down with rows waiting before the alarm is raised: a minute rides out a router's
     * restart, while staff hear of a longer outage well before the outbox's bounds drop anything.
     */
    public static final Duration BACKLOG_ALARM_AFTER = Duration.ofSeconds(60);

    private final Vertx vertx;
    private final Database database;
    private final GroupCommitter committer;
    private final Upstream upstream;
    private final LongSupplier clock;
    private final Envelopes envelopes;
    private final UplinkSettings settings;
    private final Backlog backlog = new Backlog();
    private final BoundEta eta;
    private final OutboxBounds bounds;
    private final UpstreamMetrics metrics;
    private final DrainRate rate;
    /** Acknowledged rows waiting to be deleted; filled by Paho's threads. */
    private final ConcurrentLinkedQueue<OutboxTable.RowSize> acknowledged = new ConcurrentLinkedQueue<>();
    /** Drops whose OutboxBoundReached event the committer has not taken yet (its queue was full). */
    private final List<BoundDrop> notices = new ArrayList<>();
    private final AtomicBoolean refusalLogged = new AtomicBoolean();
    private final UplinkAlarm alarm;
    private final long alarmAfterMs;

    private volatile boolean running;
    private volatile boolean connected;
    private volatile Thread thread;
    private Context context;
    private OutboxTable table;
    private Uplink uplink;
    /** The current connection's window: permits for messages published and not yet acknowledged. */
    private Semaphore window;
    /** The highest seq of each class sent on the current connection. */
    private long sentEvents;
    private long sentSummaries;
    /** The highest seq of each class ever sent by this process: what is sent again below it is a resend. */
    private long highestEvent;
    private long highestSummary;
    /** Whether the last uplink line logged said "up"; null before the first. */
    private Boolean loggedUp;
    private int failedAttempts;
    /** Since when the uplink has been down with rows waiting; -1 while it is not. */
    private long heldBackSinceMs = -1;
    private boolean alarmRaised;
    /** Whether the last try on the database failed: logged when it starts and when it ends. */
    private boolean databaseTrouble;

    /**
     * @param alarm      told when the uplink has held rows back for {@code alarmAfter}, and when that is over
     * @param alarmAfter {@link #BACKLOG_ALARM_AFTER} but in tests
     */
    public Forwarder(Vertx vertx, Database database, GroupCommitter committer, StoreConfig store, LongSupplier clock,
                     MeterRegistry registry, UplinkAlarm alarm, Duration alarmAfter) {
        this.vertx = vertx;
        this.database = database;
        this.committer = committer;
        this.upstream = store.upstream();
        this.clock = clock;
        this.envelopes = new Envelopes(store.chainId(), store.storeId());
        this.settings = new UplinkSettings(envelopes.statusTopic(), CONNECT_TIMEOUT_S, KEEP_ALIVE_S);
        this.eta = new BoundEta(upstream);
        this.bounds = new OutboxBounds(upstream);
        this.metrics = new UpstreamMetrics(registry, () -> connected, backlog, clock, eta);
        this.rate = new DrainRate(upstream.link().drainMaxRate());
        this.alarm = alarm;
        this.alarmAfterMs = alarmAfter.toMillis();
    }

    @Override
    public String name() {
        return "upstream forwarder";
    }

    /** Moves the seq past any restored backup's, counts the backlog, then starts the forwarder's thread. */
    @Override
    public Future<Void> start() {
        context = vertx.getOrCreateContext();
        return vertx.executeBlocking(() -> {
            table = new OutboxTable(database.connect());
            long nextSeq = table.moveSeqPastRestore(clock.getAsLong());
            backlog.recount(table);
            if (upstream.brokerUri().isPresent()) {
                uplink = settings.open(upstream, vertx, this::wake);
            }
            LOG.info("Upstream outbox: next seq {}, backlog {}; {}", nextSeq, backlog.describe(clock.getAsLong()),
                    upstream.brokerUri().map(uri -> "sending to " + uri + " (" + upstream.link().protocol() + ")")
                            .orElse("no brokerUri, nothing is sent"));
            running = true;
            Thread forwarder = new Thread(this::run, "floorgate-upstream");
            forwarder.setDaemon(true);
            thread = forwarder;
            forwarder.start();
            return null;
        });
    }

    /** Waits for what is in flight to be acknowledged (briefly), says "offline", disconnects. */
    @Override
    public Future<Void> stop() {
        return vertx.executeBlocking(() -> {
            running = false;
            wake();
            thread.join(STOP_QUIESCE_MS + TimeUnit.SECONDS.toMillis(CONNECT_TIMEOUT_S));
            return null;
        });
    }

    private void wake() {
        Thread forwarder = thread;
        if (forwarder != null) {
            LockSupport.unpark(forwarder);
        }
    }

    private void run() {
        long nextHousekeeping = 0;
        long nextRecount = clock.getAsLong() + RECOUNT_MS;
        long nextAttempt = 0;
        while (running) {
            try {
                long now = clock.getAsLong();
                if (now >= nextHousekeeping) {
                    if (now >= nextRecount) {
                        backlog.recount(table);
                        nextRecount = now + RECOUNT_MS;
                    }
                    housekeeping(now);
                    nextHousekeeping = now + HOUSEKEEPING_MS;
                }
                deleteAcknowledged();
                if (uplink == null) {
                    park(nextHousekeeping - now);
                } else if (!uplink.isConnected()) {
                    if (connected) {
                        connected = false;
                        logUplink(false, "connection lost");
                    }
                    if (now >= nextAttempt) {
                        nextAttempt = connect() ? 0 : clock.getAsLong() + backoffMs();
                    } else {
                        park(Math.min(nextAttempt, nextHousekeeping) - now);
                    }
                } else if (!send()) {
                    park(IDLE_POLL_MS);
                }
                if (databaseTrouble) {
                    databaseTrouble = false;
                    LOG.info("Upstream forwarder: the database answers again");
                }
            } catch (SQLException | RuntimeException e) {
                onDatabaseTrouble(e);
                park(HOUSEKEEPING_MS);
            }
        }
        goodbye();
    }

    /**
     * The database is the gateway's own: a failure here is a full disk or a database H2 closed. Nothing is lost (the
     * rows stay), so the forwarder tries again after a pause, and says so when the trouble starts, not at every try.
     * H2 closes the database when a write fails, which ends this connection for good: once the committer commits
     * again (it reopened the database when there was room), take a new one.
     */
    private void onDatabaseTrouble(Exception e) {
        if (!databaseTrouble) {
            databaseTrouble = true;
            LOG.warn("Upstream forwarder: {}; trying again every {} ms", e.toString(), HOUSEKEEPING_MS);
        } else {
            LOG.debug("Upstream forwarder: still {}", e.toString());
        }
        if (committer.unavailableReason().isPresent()) {
            return;
        }
        try {
            table.close();
        } catch (SQLException closing) {
            LOG.debug("Upstream forwarder: closing its old connection failed", closing);
        }
        try {
            table = new OutboxTable(database.connect());
        } catch (SQLException connecting) {
            LOG.debug("Upstream forwarder: no new connection yet: {}", connecting.toString());
        }
    }

    private static void park(long ms) {
        if (ms > 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(ms));
        }
    }

    /** Bounds, the oldest row, the growth estimate. */
    private void housekeeping(long now) throws SQLException {
        backlog.countNew(table);
        backlog.refreshOldest(table);
        for (BoundDrop drop : bounds.enforce(table, backlog, now)) {
            metrics.dropped(drop);
            LOG.warn("Upstream outbox reached its {} bound: dropped {} unsent message(s), seq {} to {}; backlog {}",
                    drop.bound(), drop.dropped(), drop.firstSeq(), drop.lastSeq(), backlog.describe(now));
            notices.add(drop);
        }
        offerNotices(now);
        backlog.refreshOldest(table);
        eta.sample(now, backlog.rows(), backlog.bytes(), backlog.oldestAgeSeconds(now));
        watchHeldBack(now);
    }

    /**
     * Raises the alarm once the uplink has been down with rows waiting for the delay, and clears it only when the
     * uplink is back and the backlog drained, so that a slow drain after the outage still shows. Without a brokerUri
     * nothing is ever sent, which is the configuration's choice and no alarm.
     */
    private void watchHeldBack(long now) {
        if (uplink == null) {
            return;
        }
        boolean up = uplink.isConnected();
        if (up || backlog.rows() == 0) {
            heldBackSinceMs = -1;
        } else if (heldBackSinceMs < 0) {
            heldBackSinceMs = now;
        }
        if (!alarmRaised && heldBackSinceMs >= 0 && now - heldBackSinceMs >= alarmAfterMs) {
            alarmRaised = true;
            alarm.raise("Uplink to " + upstream.brokerUri().orElseThrow() + " is down: " + backlog.rows()
                    + " rows waiting, held back for " + (now - heldBackSinceMs) / 1000 + " s, oldest "
                    + Math.round(backlog.oldestAgeSeconds(now)) + " s");
        } else if (alarmRaised && up && backlog.rows() == 0) {
            alarmRaised = false;
            alarm.clear();
        }
    }

    /** Queues the OutboxBoundReached events; what the committer cannot take now is offered again next time. */
    private void offerNotices(long now) {
        while (!notices.isEmpty()) {
            BoundDrop drop = notices.get(0);
            boolean queued = committer.offer(drop.notice(now), context, new CommitListener() {
                @Override
                public void committed() {
                    // It goes out with the other events.
                }

                @Override
                public void failed(Exception cause) {
                    LOG.warn("The outbox's {} bound notice (seq {} to {}) could not be written: {}", drop.bound(),
                            drop.firstSeq(), drop.lastSeq(), cause.toString());
                }
            });
            if (!queued) {
                return;
            }
            notices.remove(0);
        }
    }

    private void deleteAcknowledged() throws SQLException {
        if (acknowledged.isEmpty()) {
            return;
        }
        List<OutboxTable.RowSize> rows = new ArrayList<>();
        for (OutboxTable.RowSize row = acknowledged.poll(); row != null; row = acknowledged.poll()) {
            rows.add(row);
        }
        backlog.removed(table.delete(rows));
    }

    /**
     * One connection attempt; on success the status says "online" and sending starts over from the oldest row, so
     * what the last connection left unacknowledged goes again.
     */
    private boolean connect() {
        try {
            int brokerWindow = uplink.connect();
            // One slot of the broker's Receive Maximum stays free for the status message.
            int size = (int) Math.max(1, Math.min(upstream.link().inFlight(), (long) brokerWindow - 1));
            publishStatus(UplinkSettings.ONLINE);
            window = new Semaphore(size);
            sentEvents = 0;
            sentSummaries = 0;
            failedAttempts = 0;
            refusalLogged.set(false);
            connected = true;
            logUplink(true, null);
            return true;
        } catch (Exception e) {
            failedAttempts++;
            LOG.debug("Upstream connection attempt {} failed: {}", failedAttempts, e.toString());
            if (uplink.isConnected()) {
                uplink.disconnect(0);
            }
            logUplink(false, e.getMessage() == null ? e.toString() : e.getMessage());
            return false;
        }
    }

    /** Retained QoS 1, waited for: the chain sees "online" before any message of this connection. */
    private void publishStatus(String status) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        Throwable[] failure = {null};
        uplink.publish(envelopes.statusTopic(), status.getBytes(StandardCharsets.UTF_8), true, done::countDown,
                cause -> {
                    failure[0] = cause;
                    done.countDown();
                });
        if (!done.await(CONNECT_TIMEOUT_S, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the broker did not acknowledge the status message");
        }
        if (failure[0] != null) {
            throw new IllegalStateException("the broker refused the status message: " + failure[0], failure[0]);
        }
    }

    /** Exponential from reconnectMin, at most reconnectMax, with "equal jitter": half fixed, half random. */
    private long backoffMs() {
        long min = upstream.link().reconnectMin().toMillis();
        long max = upstream.link().reconnectMax().toMillis();
        long delay = min << Math.min(failedAttempts - 1, 30);
        delay = delay <= 0 || delay > max ? max : delay;
        return delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
    }

    /** One INFO line per change of the uplink's state, with the backlog; repeated failures are DEBUG only. */
    private void logUplink(boolean up, String cause) {
        if (loggedUp != null && loggedUp == up) {
            return;
        }
        loggedUp = up;
        long now = clock.getAsLong();
        if (up) {
            LOG.info("Uplink to {} is up: backlog {}", upstream.brokerUri().orElseThrow(), backlog.describe(now));
        } else {
            LOG.info("Uplink to {} is down ({}): backlog {}", upstream.brokerUri().orElseThrow(), cause,
                    backlog.describe(now));
        }
    }

    /**
     * Publishes the next rows in drain order.
     *
     * @return false when there was nothing to send
     */
    private boolean send() throws SQLException {
        backlog.countNew(table);
        long upTo = backlog.countedUpTo();
        // A tenth of a second of messages at most, so a live event written meanwhile waits no longer than that.
        int limit = (int) Math.max(1, Math.min(BATCH, upstream.link().drainMaxRate() / 10));
        List<OutboxRow> rows = table.next(OutboxPriority.EVENT, sentEvents, upTo, limit);
        if (rows.isEmpty()) {
            rows = table.next(OutboxPriority.SUMMARY, sentSummaries, upTo, limit);
        }
        if (rows.isEmpty()) {
            return false;
        }
        Semaphore connectionWindow = window;
        for (OutboxRow row : rows) {
            if (!awaitRoom(connectionWindow)) {
                return true;
            }
            rate.acquire();
            try {
                // No wake() per acknowledgement: a forwarder waiting for room wakes on the release, and an idle one
                // deletes what was acknowledged within IDLE_POLL_MS; an unpark per message cost a context switch each.
                uplink.publish(envelopes.topicOf(row.priority()), envelopes.of(row), false, () -> {
                    acknowledged.add(row.size());
                    metrics.acknowledged.increment();
                    connectionWindow.release();
                }, cause -> {
                    connectionWindow.release();
                    refused(row, cause);
                });
            } catch (Exception e) {
                // The connection went while publishing: the row stays, and goes again on the next connection.
                connectionWindow.release();
                return true;
            }
            metrics.sent.increment();
            sent(row);
        }
        return true;
    }

    /** Waits for a free slot in the window, deleting what is acknowledged meanwhile; false if the uplink went. */
    private boolean awaitRoom(Semaphore connectionWindow) throws SQLException {
        try {
            while (!connectionWindow.tryAcquire(IDLE_POLL_MS, TimeUnit.MILLISECONDS)) {
                deleteAcknowledged();
                if (!running || !uplink.isConnected()) {
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void sent(OutboxRow row) {
        if (row.priority() == OutboxPriority.EVENT) {
            sentEvents = row.seq();
            if (row.seq() <= highestEvent) {
                metrics.resent.increment();
            }
            highestEvent = Math.max(highestEvent, row.seq());
        } else {
            sentSummaries = row.seq();
            if (row.seq() <= highestSummary) {
                metrics.resent.increment();
            }
            highestSummary = Math.max(highestSummary, row.seq());
        }
    }

    /**
     * A publish that will not be acknowledged on this connection: most often the connection went, and the row goes
     * again on the next. A broker that refuses the message itself (MQTT 5 reason code) is logged once per connection.
     */
    private void refused(OutboxRow row, Throwable cause) {
        if (uplink.isConnected() && refusalLogged.compareAndSet(false, true)) {
            LOG.warn("The upstream broker refused seq {} ({}); it stays in the outbox and goes again after the next "
                    + "reconnect", row.seq(), cause.toString());
        }
    }

    /** At a graceful stop: lets what is in flight be acknowledged, says "offline" (no will on a clean disconnect). */
    private void goodbye() {
        try {
            if (uplink != null) {
                if (uplink.isConnected()) {
                    publishStatus(UplinkSettings.OFFLINE);
                    uplink.disconnect(STOP_QUIESCE_MS);
                }
                uplink.close();
            }
            deleteAcknowledged();
        } catch (Exception e) {
            LOG.warn("Upstream forwarder did not stop cleanly: {}", e.toString());
        } finally {
            connected = false;
            try {
                table.close();
            } catch (SQLException e) {
                LOG.warn("Upstream outbox connection did not close: {}", e.toString());
            }
        }
    }
}
