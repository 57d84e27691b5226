package io.floorgate.gateway.summary;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.floorgate.config.Device;
import io.floorgate.config.StoreConfig;
import io.floorgate.gateway.ingest.DeviceEventListener;
import io.floorgate.gateway.ingest.DeviceHealth;
import io.floorgate.gateway.ingest.Rejection;
import io.floorgate.gateway.linking.Consent;
import io.floorgate.gateway.linking.Customer;
import io.floorgate.gateway.linking.ErasureListener;
import io.floorgate.gateway.linking.SessionDirectory;
import io.floorgate.gateway.linking.SessionListener;
import io.floorgate.gateway.linking.ShopperSession;
import io.floorgate.gateway.linking.Touch;
import io.floorgate.gateway.linking.TouchListener;
import io.floorgate.gateway.location.LocationQuery;
import io.floorgate.gateway.location.ZoneChangeListener;
import io.floorgate.gateway.location.ZoneEntry;
import io.floorgate.gateway.location.ZoneExit;
import io.floorgate.gateway.pickup.PickupEvent;
import io.floorgate.gateway.pickup.PickupListener;
import io.floorgate.gateway.store.CommitListener;
import io.floorgate.gateway.store.GroupCommitter;
import io.floorgate.gateway.upstream.LiveEvents;
import io.floorgate.gateway.upstream.OutboxEntry;
import io.floorgate.gateway.upstream.OutboxPriority;
import io.floorgate.gateway.upstream.Pseudonyms;
import io.floorgate.proto.v1.DeviceEvent;
import io.floorgate.proto.v1.ShopperRecord;
import io.floorgate.proto.v1.StoreSummary;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The summary stage (DESIGN, "Gateway -> upstream"): every {@code upstream.summaryWindow} writes one
 * {@link StoreSummary} of the window that closed to the outbox, a window with no traffic too (the chain tells "quiet"
 * from "down" by its arrival), and reports ingest storms as live events. It learns what happened only from the
 * stages' listener interfaces (zone changes, pickup steps, kiosk events, touches, session ends) and query interfaces
 * (occupancy, device health, refusals), as the push streams do.
 *
 * <p>Threads: every listener call hands its value to this verticle's context, where all window state lives
 * ({@link WindowSummarizer}, {@link StormWatch}); a timer samples occupancy and closes windows every
 * {@link #TICK_MS}. Nothing here blocks: rows go to the group committer.
 *
 * <p>Bound: at most {@link #MAX_WAITING} outbox rows wait for room in a full commit queue (tried again each tick);
 * past it the oldest is dropped and counted, as is a row whose commit failed. A stop does not summarize the window in
 * progress: it is not closed, and the next start summarizes that window with what it sees.
 *
 * <p>The window's length is read at start; a reloaded configuration changes it at the next start.
 */
public final class SummaryStage extends VerticleBase
        implements ZoneChangeListener, PickupListener, DeviceEventListener, TouchListener, SessionListener,
        ErasureListener {

    private static final Logger LOG = LoggerFactory.getLogger(SummaryStage.class);

    /** How often occupancy is sampled (ZoneSummary: "about once a second") and closed windows are written. */
    public static final long TICK_MS = 1_000;
    /** A minute of summaries at the shortest window, or an hour of them at the default. */
    static final int MAX_WAITING = 60;

    /** What the stage reads from the other stages: their query interfaces, never their maps. */
    public record Sources(SessionDirectory sessions, LocationQuery location,
                          Supplier<Collection<DeviceHealth>> devices,
                          Supplier<Map<Rejection, Map<String, Long>>> rejections) {
    }

    private final GroupCommitter committer;
    private final Supplier<StoreConfig> config;
    private final Sources sources;
    private final Pseudonyms pseudonyms;
    private final LiveEvents events;
    private final LongSupplier clockMs;
    private final Counter written;
    private final Counter dropped;

    // Owned by the stage context.
    private final Deque<OutboxEntry> waiting = new ArrayDeque<>();
    private WindowSummarizer windows;
    private StormWatch storms;

    public SummaryStage(GroupCommitter committer, Supplier<StoreConfig> config, Sources sources, Pseudonyms pseudonyms,
                        LiveEvents events, LongSupplier clockMs, MeterRegistry metrics) {
        this.committer = committer;
        this.config = config;
        this.sources = sources;
        this.pseudonyms = pseudonyms;
        this.events = events;
        this.clockMs = clockMs;
        this.written = rows(metrics, "written");
        this.dropped = rows(metrics, "dropped");
    }

    private static Counter rows(MeterRegistry metrics, String result) {
        return Counter.builder("floorgate.summary.rows").tag("result", result)
                .description("Summaries and storm events written to the upstream outbox, or dropped unwritten")
                .register(metrics);
    }

    @Override
    public Future<?> start() {
        long now = clockMs.getAsLong();
        windows = new WindowSummarizer(config, sources.sessions(), pseudonyms, sources.location()::occupancy,
                sources.devices(), sources.rejections(), config.get().upstream().summaryWindow().toMillis(), now);
        storms = new StormWatch(sources.rejections(), now);
        vertx.setPeriodic(TICK_MS, id -> tick());
        return Future.succeededFuture();
    }

    /** On the stage context: a sample, then the windows and storm windows that closed, then the writes. */
    private void tick() {
        long now = clockMs.getAsLong();
        windows.sample();
        for (StormWatch.Storm storm : storms.tick(now)) {
            LOG.info("Ingest storm: {} refusals ({}) in {} s{}", storm.refused(), storm.kind(), StormWatch.WINDOW_S,
                    storm.deviceId().isEmpty() ? "" : " from device " + storm.deviceId());
            queue(events.storm(storm.kind(), storm.refused(), StormWatch.WINDOW_S, storm.deviceId(), storm.atMs()));
        }
        for (StoreSummary summary : windows.closeUntil(now)) {
            LOG.debug("Summary of the window ending {} written to the outbox", summary.getWindowEndMs());
            queue(OutboxEntry.summary(summary));
        }
        offerWaiting();
    }

    /**
     * A customer's data is erased: the current window forgets them, and summaries still waiting for the commit queue
     * lose their records, so that nothing written after the erasure notice names them (upstream.proto, ErasureNotice).
     */
    @Override
    public Future<Void> erase(Customer customer, Set<String> sessionIds) {
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> {
            windows.erase(customer.pseudonym(), sessionIds);
            for (int i = waiting.size(); i > 0; i--) {
                waiting.addLast(withoutShopper(waiting.removeFirst(), customer.pseudonym()));
            }
            done.complete();
        });
        return done.future();
    }

    private static OutboxEntry withoutShopper(OutboxEntry entry, ByteString pseudonym) {
        if (entry.priority() != OutboxPriority.SUMMARY) {
            return entry;
        }
        try {
            StoreSummary summary = StoreSummary.parseFrom(entry.body());
            List<ShopperRecord> kept = summary.getShoppersList().stream()
                    .filter(s -> !s.getShopperHash().equals(pseudonym)).toList();
            return kept.size() == summary.getShoppersCount() ? entry
                    : OutboxEntry.summary(summary.toBuilder().clearShoppers().addAllShoppers(kept).build());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a summary this stage serialized does not parse", e);
        }
    }

    private void queue(OutboxEntry entry) {
        if (waiting.size() >= MAX_WAITING) {
            waiting.removeFirst();
            dropped.increment();
            LOG.warn("Upstream outbox row dropped: the commit queue has been full for {} rows", MAX_WAITING);
        }
        waiting.addLast(entry);
    }

    private void offerWaiting() {
        while (!waiting.isEmpty() && committer.offer(waiting.peekFirst(), context, new CommitListener() {
            @Override
            public void committed() {
                written.increment();
            }

            @Override
            public void failed(Exception cause) {
                dropped.increment();
                LOG.warn("Upstream outbox row not stored: {}", cause.getMessage());
            }
        })) {
            waiting.removeFirst();
        }
    }

    /** On the location stage's context. */
    @Override
    public void entered(ZoneEntry entry) {
        context.runOnContext(v -> windows.entered(entry));
    }

    @Override
    public void exited(ZoneExit exit) {
        context.runOnContext(v -> windows.exited(exit));
    }

    /** On the pickup stage's context, once a step is committed. */
    @Override
    public void onPickup(PickupEvent event) {
        context.runOnContext(v -> windows.pickup(event));
    }

    /** On an ingest event loop; only kiosk interactions are of interest here. */
    @Override
    public void onEvent(Device device, DeviceEvent event, long receivedAtMs) {
        if (event.hasKioskInteraction()) {
            context.runOnContext(v -> windows.kiosk(device, event));
        }
    }

    /** On an ingest event loop, once the touch is committed. */
    @Override
    public void touched(Touch touch) {
        context.runOnContext(v -> windows.touched(touch));
    }

    @Override
    public void started(ShopperSession session) {
    }

    @Override
    public void ended(String sessionId) {
        context.runOnContext(v -> windows.ended(sessionId));
    }

    /**
     * The shopper withdrew analytics consent: on the stage context, the window in progress drops their record; the
     * future completes once it has, so no summary written after the withdrawal is answered holds them.
     */
    @Override
    public Future<Void> consentWithdrawn(ShopperSession session, Consent consent) {
        if (consent != Consent.ANALYTICS) {
            return Future.succeededFuture();
        }
        Promise<Void> dropped = Promise.promise();
        context.runOnContext(v -> {
            windows.analyticsWithdrawn(session.id());
            dropped.complete();
        });
        return dropped.future();
    }
}
