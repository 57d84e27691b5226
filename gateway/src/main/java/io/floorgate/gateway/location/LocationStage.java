package io.floorgate.gateway.location;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

import io.floorgate.config.Device;
import io.floorgate.config.StoreConfig;
import io.floorgate.config.Zone;
import io.floorgate.gateway.ingest.SightingListener;
import io.floorgate.gateway.linking.AdvertisedIdResolver;
import io.floorgate.gateway.linking.Consent;
import io.floorgate.gateway.linking.Customer;
import io.floorgate.gateway.linking.ErasureListener;
import io.floorgate.gateway.linking.SessionListener;
import io.floorgate.gateway.linking.ShopperSession;
import io.floorgate.gateway.linking.Touch;
import io.floorgate.gateway.linking.TouchListener;
import io.floorgate.gateway.store.GroupCommitter;
import io.floorgate.gateway.store.StoreWrite;
import io.floorgate.gateway.store.ZoneVisitClosed;
import io.floorgate.gateway.store.ZoneVisitOpened;
import io.floorgate.proto.v1.DeviceEvent;
import io.floorgate.proto.v1.Sighting;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The location stage: from receivers' sighting batches to where each linked shopper is, live occupancy per
 * zone, and zone visits in H2. QoS 0 sightings are never stored raw; what they mean is (DESIGN, "QoS 1
 * means durable").
 *
 * <p>Threads: {@link #onSightings} runs on the ingest event loop the batch arrived on; it resolves ids
 * there (a concurrent map lookup) and hands one plain {@link ReceiverBatch} to this verticle's own
 * context. All estimator and occupancy state lives on that one context, so two receivers' batches for one
 * shopper arriving on two loops at once are applied one after the other, with no locks. Queries
 * ({@link #locationOf}, {@link #occupancy}) read what the context publishes, from any thread.
 *
 * <p>Unresolved ids (other advertisers, shoppers without location consent) keep no state per id: each
 * receiver's latest batch leaves only a count, and a zone's anonymous occupancy is the largest count of
 * its receivers heard within {@link #ANONYMOUS_WINDOW_MS} (the max, not the sum: neighbouring receivers
 * hear the same phones).
 *
 * <p>Bound: at most one batch per receiver waits for the stage context. A receiver's newer report replaces
 * its older one still waiting (sightings are QoS 0, and the newer says where the shoppers are now), counted
 * as a dropped batch; the parts of one report window (a receiver splits more than 1,024 sightings) are kept
 * together. So a stage that is behind takes every receiver's latest report in turn, and a flood from a few
 * receivers cannot keep the pickup zone's reports, or anyone else's, waiting behind it.
 *
 * <p>Consent: a shopper who withdraws location consent is let go at once, as at check-out: the open visit is closed,
 * the location forgotten, occupancy published without them; the resolver no longer resolves their ids, so nothing
 * of them is taken in again until they give consent again.
 */
public final class LocationStage extends VerticleBase
        implements SightingListener, LocationQuery, SessionListener, TouchListener, ErasureListener {

    private static final Logger LOG = LoggerFactory.getLogger(LocationStage.class);

    /** How long a receiver's count of unresolved advertisers stands for its zone: about three report periods. */
    public static final long ANONYMOUS_WINDOW_MS = 3_000;
    /** How often occupancy is published and shoppers no longer heard are let go. */
    public static final long TICK_MS = 1_000;
    /**
     * How often zones are decided again for shoppers read since: short against the receivers' one-second
     * reports, so a round of reports is in before a decision and a decision is not late by much.
     */
    public static final long SETTLE_MS = 50;

    /** One resolved sighting: a linked session heard by a receiver. */
    private record Heard(String sessionId, int rssiDbm, int txPowerDbm, int count) {
    }

    /** What one receiver's batch means to the stage, handed from the ingest loop to the stage context. */
    private record ReceiverBatch(String receiverId, String zoneId, long windowAtMs, long atMs, List<Heard> heard,
                                 int unresolved) {

        /** This part of a report window and another. */
        ReceiverBatch with(ReceiverBatch other) {
            List<Heard> both = new ArrayList<>(heard);
            both.addAll(other.heard);
            return new ReceiverBatch(receiverId, zoneId, windowAtMs, Math.max(atMs, other.atMs), both,
                    unresolved + other.unresolved);
        }
    }

    /** The number of unresolved advertisers in one receiver's latest batch. */
    private record AnonymousCount(String zoneId, int count, long atMs) {
    }

    private final AdvertisedIdResolver resolver;
    private final GroupCommitter committer;
    private final List<String> zoneIds;
    private final LongSupplier clockMs;
    /** Per receiver, its batch waiting for the stage context (see the class comment). */
    private final Map<String, ReceiverBatch> waiting = new ConcurrentHashMap<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    /** Other stages told of zone changes (the pickup stage, for arrivals); each hands off to its own context. */
    private final List<ZoneChangeListener> zoneListeners = new CopyOnWriteArrayList<>();

    // Published by the stage context, read by any thread.
    private final Map<String, ShopperLocation> locations = new ConcurrentHashMap<>();
    private volatile Map<String, ZoneOccupancy> occupancy;

    // Owned by the stage context.
    private final ZoneEstimator estimator;
    private final Map<String, Integer> linkedByZone = new HashMap<>();
    private final Map<String, AnonymousCount> anonymousByReceiver = new HashMap<>();

    private final Counter resolved;
    private final Counter unresolved;
    private final Counter zoneChanges;
    private final Counter batchesDropped;
    private final Counter located;
    private final Counter visitWritesDropped;

    public LocationStage(AdvertisedIdResolver resolver, GroupCommitter committer, StoreConfig store,
                         LongSupplier clockMs, MeterRegistry metrics) {
        this.resolver = resolver;
        this.committer = committer;
        this.zoneIds = store.zones().stream().map(Zone::id).toList();
        this.estimator = new ZoneEstimator(FloorMap.of(store), new Visits());
        this.clockMs = clockMs;
        this.occupancy = snapshot(Map.of(), Map.of());
        this.resolved = sightingsCounter(metrics, "true");
        this.unresolved = sightingsCounter(metrics, "false");
        this.zoneChanges = Counter.builder("floorgate.location.zone.changes")
                .description("Zone entries decided for linked shoppers").register(metrics);
        this.located = Counter.builder("floorgate.location.readings")
                .description("Readings of linked shoppers the zone estimator took in").register(metrics);
        this.batchesDropped = Counter.builder("floorgate.location.batches.dropped")
                .description("Sighting batches replaced by the same receiver's newer one while the location stage was behind")
                .register(metrics);
        this.visitWritesDropped = Counter.builder("floorgate.location.visit.writes.dropped")
                .description("Zone visit rows not stored because the commit queue was full").register(metrics);
        for (String zone : this.zoneIds) {
            Gauge.builder("floorgate.location.occupancy", this, s -> s.occupancy.get(zone).linked())
                    .description("People in the zone now").tags("zone", zone, "kind", "linked").register(metrics);
            Gauge.builder("floorgate.location.occupancy", this, s -> s.occupancy.get(zone).anonymous())
                    .description("People in the zone now").tags("zone", zone, "kind", "anonymous").register(metrics);
        }
    }

    private static Counter sightingsCounter(MeterRegistry metrics, String resolved) {
        return Counter.builder("floorgate.location.sightings")
                .description("Advertisers heard, summed over all receivers' batches, by whether they resolved to a session")
                .tag("resolved", resolved).register(metrics);
    }

    @Override
    public Future<?> start() {
        vertx.setPeriodic(TICK_MS, id -> tick());
        vertx.setPeriodic(SETTLE_MS, id -> estimator.settle(clockMs.getAsLong(), locations::put));
        return Future.succeededFuture();
    }

    /**
     * On the stage context, at a graceful stop: closes every open visit now, so a restart does not find
     * visits left open forever. Runs before the committer closes, which commits what is queued.
     */
    @Override
    public Future<?> stop() {
        estimator.forgetAll(clockMs.getAsLong());
        locations.clear();
        return Future.succeededFuture();
    }

    /** On an ingest event loop: resolves, counts, and hands the batch to the stage context. */
    @Override
    public void onSightings(Device receiver, DeviceEvent event, long receivedAtMs) {
        List<Sighting> sightings = event.getBeaconSightings().getSightingsList();
        List<Heard> heard = new ArrayList<>();
        for (Sighting s : sightings) {
            resolver.resolve(s.getObservedId()).ifPresent(session ->
                    heard.add(new Heard(session, s.getRssiDbm(), s.getTxPowerDbm(), s.getCount())));
        }
        int anonymous = sightings.size() - heard.size();
        resolved.increment(heard.size());
        unresolved.increment(anonymous);
        ReceiverBatch batch = new ReceiverBatch(receiver.id(), receiver.zone(), event.getObservedAtMs(), receivedAtMs,
                heard, anonymous);
        ReceiverBatch replaced = waiting.put(receiver.id(), batch);
        if (replaced != null) {
            if (replaced.windowAtMs() == batch.windowAtMs()) {
                // another part of the same report: both stand, unless the stage took the first meanwhile
                waiting.merge(receiver.id(), replaced, ReceiverBatch::with);
            } else {
                batchesDropped.increment();
            }
        }
        if (drainScheduled.compareAndSet(false, true)) {
            context.runOnContext(v -> drain());
        }
    }

    /** On the stage context: every receiver's waiting batch, once each, in no particular order. */
    private void drain() {
        drainScheduled.set(false);
        for (String receiverId : waiting.keySet()) {
            ReceiverBatch batch = waiting.remove(receiverId);
            if (batch != null) {
                apply(batch);
            }
        }
    }

    /** On the stage context. */
    private void apply(ReceiverBatch batch) {
        anonymousByReceiver.put(batch.receiverId(), new AnonymousCount(batch.zoneId(), batch.unresolved(), batch.atMs()));
        int taken = 0;
        for (Heard h : batch.heard()) {
            // The session may have ended between resolving on the ingest loop and now: then it stays forgotten.
            if (resolver.isLinked(h.sessionId())) {
                estimator.observe(h.sessionId(), batch.receiverId(), h.rssiDbm(), h.txPowerDbm(), h.count(), batch.atMs())
                        .ifPresent(location -> locations.put(h.sessionId(), location));
                taken++;
            }
        }
        located.increment(taken);
    }

    /** On the stage context: lets go of shoppers no longer heard and publishes occupancy. */
    private void tick() {
        long now = clockMs.getAsLong();
        estimator.expire(now).forEach(locations::remove);
        publishOccupancy(now);
    }

    /** On the stage context. */
    private void publishOccupancy(long now) {
        Map<String, Integer> anonymous = new HashMap<>();
        for (Iterator<AnonymousCount> it = anonymousByReceiver.values().iterator(); it.hasNext(); ) {
            AnonymousCount c = it.next();
            if (now - c.atMs() > ANONYMOUS_WINDOW_MS) {
                it.remove();
            } else {
                anonymous.merge(c.zoneId(), c.count(), Math::max);
            }
        }
        occupancy = snapshot(linkedByZone, anonymous);
    }

    private Map<String, ZoneOccupancy> snapshot(Map<String, Integer> linked, Map<String, Integer> anonymous) {
        Map<String, ZoneOccupancy> all = new LinkedHashMap<>();
        for (String zone : zoneIds) {
            all.put(zone, new ZoneOccupancy(linked.getOrDefault(zone, 0), anonymous.getOrDefault(zone, 0)));
        }
        return Collections.unmodifiableMap(all);
    }

    /**
     * A new configuration: receivers moved, added or removed and zones redrawn apply to readings from now on.
     * Occupancy is still published for the zones the stage started with (its gauges are registered once).
     */
    public void reconfigure(StoreConfig next) {
        // rastering the floor tests every square against the zones: milliseconds for a shop, more for a warehouse,
        // so on a worker rather than the event loop that applies the configuration
        vertx.executeBlocking(() -> FloorMap.of(next))
                .onSuccess(floor -> context.runOnContext(v -> estimator.use(floor, clockMs.getAsLong())))
                .onFailure(e -> LOG.warn("Location keeps the previous floor: the new one could not be mapped", e));
    }

    /**
     * Tells {@code listener} of every zone entry and exit, on this stage's context: it must not block, and should
     * hand what it needs to its own context.
     */
    public void subscribe(ZoneChangeListener listener) {
        zoneListeners.add(listener);
    }

    @Override
    public Optional<ShopperLocation> locationOf(String sessionId) {
        return Optional.ofNullable(locations.get(sessionId));
    }

    @Override
    public Map<String, ZoneOccupancy> occupancy() {
        return occupancy;
    }

    /** Nothing to compute until the shopper is heard; the resolver, subscribed on its own, links the ids. */
    @Override
    public void started(ShopperSession session) {
    }

    /** On whichever thread ended the session: closes its open visit on the stage context and drops its state. */
    @Override
    public void ended(String sessionId) {
        context.runOnContext(v -> forget(sessionId));
    }

    /**
     * The sessions of a customer being erased were ended just before ({@link #ended}, queued ahead of this on the stage
     * context): this forgets them again, should a sighting have been placed in between, and completes once done.
     */
    @Override
    public Future<Void> erase(Customer customer, Set<String> sessionIds) {
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> {
            sessionIds.forEach(this::forget);
            done.complete();
        });
        return done.future();
    }

    /** On the stage context: closes the session's open visit and drops its state. */
    private void forget(String sessionId) {
        estimator.forget(sessionId, clockMs.getAsLong());
        locations.remove(sessionId);
    }

    /**
     * The shopper withdrew location consent (the resolver, subscribed before this stage, already resolves their ids to
     * nothing): on the stage context, closes the open visit, forgets them and publishes occupancy without them; the
     * future completes once that is done, so the withdrawal is committed after the visit's last write.
     */
    @Override
    public Future<Void> consentWithdrawn(ShopperSession session, Consent consent) {
        if (consent != Consent.LOCATION) {
            return Future.succeededFuture();
        }
        Promise<Void> letGo = Promise.promise();
        context.runOnContext(v -> {
            forget(session.id());
            publishOccupancy(clockMs.getAsLong());
            letGo.complete();
        });
        return letGo.future();
    }

    /**
     * On the device's event loop: a consenting shopper's own tap or scan places them at the device (see
     * {@link ZoneEstimator#touched}); interactions during a kiosk session say nothing new of where they are.
     */
    @Override
    public void touched(Touch touch) {
        if (!touch.locationConsent() || !touch.kind().presentedToken()) {
            return;
        }
        context.runOnContext(v -> {
            if (resolver.isLinked(touch.sessionId())) {
                estimator.touched(touch.sessionId(), touch.deviceId(), touch.atMs())
                        .ifPresent(location -> locations.put(touch.sessionId(), location));
            }
        });
    }

    /** Entries and exits, on the stage context: counted, kept in live occupancy, and stored. */
    private final class Visits implements ZoneChangeListener {
        @Override
        public void entered(ZoneEntry entry) {
            zoneChanges.increment();
            linkedByZone.merge(entry.zoneId(), 1, Integer::sum);
            store(new ZoneVisitOpened(entry.sessionId(), entry.zoneId(), entry.atMs()));
            zoneListeners.forEach(l -> l.entered(entry));
        }

        @Override
        public void exited(ZoneExit exit) {
            linkedByZone.merge(exit.zoneId(), -1, Integer::sum);
            store(new ZoneVisitClosed(exit.sessionId(), exit.enteredAtMs(), exit.exitedAtMs()));
            zoneListeners.forEach(l -> l.exited(exit));
        }

        /** Zone visits are derived from QoS 0 traffic: when the commit queue is full they are dropped and counted. */
        private void store(StoreWrite write) {
            if (!committer.offer(write, null, null)) {
                visitWritesDropped.increment();
            }
        }
    }
}
