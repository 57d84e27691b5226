package io.floorgate.gateway.summary;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import com.google.protobuf.ByteString;
import io.floorgate.config.Device;
import io.floorgate.config.StoreConfig;
import io.floorgate.config.Zone;
import io.floorgate.gateway.ingest.DeviceHealth;
import io.floorgate.gateway.ingest.Rejection;
import io.floorgate.gateway.linking.Customer;
import io.floorgate.gateway.linking.SessionDirectory;
import io.floorgate.gateway.linking.ShopperSession;
import io.floorgate.gateway.linking.Touch;
import io.floorgate.gateway.linking.TouchKind;
import io.floorgate.gateway.location.ZoneEntry;
import io.floorgate.gateway.location.ZoneExit;
import io.floorgate.gateway.location.ZoneOccupancy;
import io.floorgate.gateway.pickup.PickupEvent;
import io.floorgate.gateway.upstream.Pseudonyms;
import io.floorgate.proto.v1.DeviceEvent;
import io.floorgate.proto.v1.DeviceSummary;
import io.floorgate.proto.v1.KioskInteraction;
import io.floorgate.proto.v1.KioskSummary;
import io.floorgate.proto.v1.PickupSummary;
import io.floorgate.proto.v1.ShopperRecord;
import io.floorgate.proto.v1.StoreSummary;
import io.floorgate.proto.v1.ZoneSummary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the store saw in the current summary window, and the {@link StoreSummary} of each window once it closes.
 * Windows are aligned to the epoch ({@code [k * window, (k + 1) * window)}), so consecutive ones tile time exactly
 * and two stores' windows line up; the first after a start holds what was seen since the start.
 *
 * <p>Fed with what the stages tell their listeners and what their query interfaces answer, never their maps.
 *
 * <p>Consent: per-shopper records only for sessions with analytics consent (and dwell only for those also located,
 * which needs location consent); everyone else counts in the anonymous aggregates only. Consent is read as it is
 * when a thing happens, and a shopper who withdraws analytics consent leaves the window in progress at once
 * ({@link #analyticsWithdrawn}): no summary closed after that holds a record of theirs.
 *
 * <p>Service-level split of the feedback: "the visit" of a feedback is the shopper session whose kiosk session it
 * was given in (the linking stage attributes feedback only for shoppers with analytics consent). The visit had a
 * breach when, before the feedback's touch reached this stage, an order linked to that session, or of its customer
 * reference while the session was open, breached the pickup service level. Feedback given outside a kiosk session,
 * or by a shopper without analytics consent, has no known visit and counts as without breach: {@code all} is always
 * {@code with_breach} plus {@code without_breach}.
 *
 * <p>Threads: confined to the summary stage's context.
 */
final class WindowSummarizer {

    private static final Logger LOG = LoggerFactory.getLogger(WindowSummarizer.class);

    /**
     * Windows summarized at once after the clock jumped ahead (a suspended machine); past them the summarizer skips
     * to the current window and says so, rather than write a flood of empty summaries.
     */
    static final int MAX_CATCH_UP_WINDOWS = 60;
    /**
     * Feedbacks held until their kiosk session's touch arrives (milliseconds later). Far more than kiosks answer in a
     * window; past it a feedback is counted at once as without breach.
     */
    static final int MAX_AWAITING_TOUCH = 10_000;
    /** DeviceSummary.low_battery: a last heartbeat at or below this. */
    static final int LOW_BATTERY_PCT = 20;

    /** A consenting shopper's zone visit still open, with what the shopper record needs once the session is gone. */
    private record OpenVisit(String zoneId, long enteredAtMs, ByteString shopperHash) {
    }

    /** A kiosk event's dedup key, which its touch carries too. */
    private record EventKey(String deviceId, long bootId, long seq) {
    }

    private final Supplier<StoreConfig> config;
    private final SessionDirectory sessions;
    private final Pseudonyms pseudonyms;
    private final Supplier<Map<String, ZoneOccupancy>> occupancy;
    private final Supplier<Collection<DeviceHealth>> devices;
    private final Supplier<Map<Rejection, Map<String, Long>>> rejections;
    private final long windowMs;

    // Across windows.
    private final Map<String, OpenVisit> openVisits = new HashMap<>();
    private final Set<String> breachedSessions = new HashSet<>();
    private Map<String, Long> rejectedBefore;
    private long windowStartMs;

    private Window window = new Window();

    /**
     * @param occupancy   the location stage's live occupancy, sampled by {@link #sample}
     * @param devices     the ingest stage's device health now
     * @param rejections  the ingest stage's refusals so far, by reason and device
     */
    WindowSummarizer(Supplier<StoreConfig> config, SessionDirectory sessions, Pseudonyms pseudonyms,
                     Supplier<Map<String, ZoneOccupancy>> occupancy, Supplier<Collection<DeviceHealth>> devices,
                     Supplier<Map<Rejection, Map<String, Long>>> rejections, long windowMs, long nowMs) {
        this.config = config;
        this.sessions = sessions;
        this.pseudonyms = pseudonyms;
        this.occupancy = occupancy;
        this.devices = devices;
        this.rejections = rejections;
        this.windowMs = windowMs;
        this.windowStartMs = Math.floorDiv(nowMs, windowMs) * windowMs;
        this.rejectedBefore = byReason(rejections.get());
    }

    /** Takes one sample of every zone's occupancy; called about once a second. */
    void sample() {
        Map<String, ZoneOccupancy> now = occupancy.get();
        for (Zone zone : config.get().zones()) {
            window.zone(zone.id()).sample(now.getOrDefault(zone.id(), new ZoneOccupancy(0, 0)));
        }
        window.samples++;
    }

    void entered(ZoneEntry entry) {
        window.zone(entry.zoneId()).entries++;
        consenting(entry.sessionId()).ifPresent(session -> {
            ByteString hash = shopperHash(session);
            openVisits.put(session.id(), new OpenVisit(entry.zoneId(), entry.atMs(), hash));
            window.shopper(session.id(), hash);
        });
    }

    void exited(ZoneExit exit) {
        window.zone(exit.zoneId()).dwellS.add(exit.dwellMs() / 1000.0);
        OpenVisit visit = openVisits.remove(exit.sessionId());
        if (visit != null && visit.zoneId().equals(exit.zoneId())) {
            window.shopper(exit.sessionId(), visit.shopperHash()).dwell(visit, exit.exitedAtMs(), windowStartMs);
        }
    }

    void pickup(PickupEvent event) {
        PickupTally pickup = window.pickup;
        if (event instanceof PickupEvent.Ready) {
            pickup.ready++;
        } else if (event instanceof PickupEvent.Arrived) {
            pickup.arrived++;
        } else if (event instanceof PickupEvent.HandedOff handedOff) {
            pickup.handedOff++;
            pickup.waitsS.add(handedOff.waitMs() / 1000.0);
            handedOff.order().sessionId().flatMap(this::consenting).ifPresent(session -> window.shopper(session.id(),
                    shopperHash(session)).handedOff++);
        } else if (event instanceof PickupEvent.ServiceLevelBreached breach) {
            pickup.breaches++;
            Optional<String> linked = breach.order().sessionId();
            if (linked.isPresent()) {
                breachedSessions.add(linked.get());
            } else {
                sessions.active().stream().filter(s -> s.customer().map(Customer::hash).filter(breach.order().customer()::equals)
                        .isPresent()).forEach(s -> breachedSessions.add(s.id()));
            }
        }
    }

    /** An accepted kiosk interaction (anyone's): counted by kind; feedback waits for its kiosk session's touch. */
    void kiosk(Device device, DeviceEvent event) {
        if (!event.hasKioskInteraction()) {
            return;
        }
        KioskInteraction interaction = event.getKioskInteraction();
        KioskTally kiosk = window.kiosk;
        switch (interaction.getActionCase()) {
            case SESSION_SCAN -> kiosk.sessionScans++;
            case PRODUCT_LOOKUP -> kiosk.productLookups++;
            case PICKUP_CHECK_IN -> kiosk.pickupCheckIns++;
            case FEEDBACK -> {
                kiosk.feedback++;
                kiosk.all.add(interaction.getFeedback());
                if (kiosk.awaitingTouch.size() < MAX_AWAITING_TOUCH) {
                    kiosk.awaitingTouch.put(new EventKey(device.id(), event.getBootId(), event.getSeq()),
                            interaction.getFeedback());
                } else {
                    kiosk.withoutBreach.add(interaction.getFeedback());
                }
            }
            case ACTION_NOT_SET -> {
            }
        }
    }

    /** A committed touch: a consenting shopper's kiosk use, and the visit a feedback belongs to. */
    void touched(Touch touch) {
        if (touch.kind() == TouchKind.NFC_TAP) {
            return;
        }
        consenting(touch.sessionId()).ifPresent(session -> window.shopper(session.id(),
                shopperHash(session)).kioskInteractions++);
        if (touch.kind() == TouchKind.FEEDBACK) {
            KioskInteraction.Feedback feedback = window.kiosk.awaitingTouch
                    .remove(new EventKey(touch.deviceId(), touch.bootId(), touch.seq()));
            if (feedback != null) {
                (breachedSessions.contains(touch.sessionId()) ? window.kiosk.withBreach : window.kiosk.withoutBreach)
                        .add(feedback);
            }
        }
    }

    /**
     * A shopper as the chain may follow them across visits: by the customer's pseudonym (computed at check-in, see
     * {@link Customer}), else by this session alone.
     */
    private ByteString shopperHash(ShopperSession session) {
        return session.customer().map(Customer::pseudonym).orElseGet(() -> pseudonyms.session(session.id()));
    }

    /**
     * A customer's data is erased: the window forgets their shopper records and open visits, by session and by the
     * customer's pseudonym (sessions of theirs that ended earlier in the window), so no summary carries them again.
     */
    void erase(ByteString pseudonym, Set<String> sessionIds) {
        window.shoppers.entrySet().removeIf(s -> sessionIds.contains(s.getKey()) || s.getValue().hash.equals(pseudonym));
        openVisits.entrySet().removeIf(v -> sessionIds.contains(v.getKey()) || v.getValue().shopperHash()
                .equals(pseudonym));
        breachedSessions.removeAll(sessionIds);
    }

    void ended(String sessionId) {
        breachedSessions.remove(sessionId);
    }

    /**
     * Drops the shopper's record from the window in progress, and their open visit, which would put a record back at
     * the window's end. What they did still counts in the anonymous aggregates, as anyone's does.
     */
    void analyticsWithdrawn(String sessionId) {
        window.shoppers.remove(sessionId);
        openVisits.remove(sessionId);
    }

    /** The summaries of every window that has closed by {@code nowMs}, oldest first; usually none or one. */
    List<StoreSummary> closeUntil(long nowMs) {
        List<StoreSummary> closed = new ArrayList<>();
        while (nowMs >= windowStartMs + windowMs) {
            long endMs = windowStartMs + windowMs;
            closed.add(summarize(windowStartMs, endMs));
            windowStartMs = endMs;
            window = new Window();
            if (closed.size() >= MAX_CATCH_UP_WINDOWS && nowMs >= windowStartMs + windowMs) {
                long current = Math.floorDiv(nowMs, windowMs) * windowMs;
                LOG.warn("The clock jumped ahead: windows from {} to {} ms get no summary", windowStartMs, current);
                windowStartMs = current;
            }
        }
        return closed;
    }

    private StoreSummary summarize(long startMs, long endMs) {
        StoreSummary.Builder summary = StoreSummary.newBuilder().setWindowStartMs(startMs).setWindowEndMs(endMs);
        for (Zone zone : config.get().zones()) {
            summary.addZones(window.zone(zone.id()).summary(zone.id(), window.samples));
        }
        openVisits.forEach((sessionId, visit) -> window.shopper(sessionId, visit.shopperHash())
                .dwell(visit, endMs, startMs));
        window.shoppers.values().forEach(s -> summary.addShoppers(s.record()));
        return summary.setPickup(window.pickup.summary()).setKiosks(window.kiosk.summary()).setDevices(devices())
                .build();
    }

    private DeviceSummary devices() {
        Map<String, DeviceHealth> byId = new HashMap<>();
        devices.get().forEach(d -> byId.put(d.deviceId(), d));
        int configured = 0;
        int online = 0;
        int lowBattery = 0;
        for (Device device : config.get().devices()) {
            configured++;
            DeviceHealth health = byId.get(device.id());
            if (health != null && health.online()) {
                online++;
            }
            if (health != null && health.batteryPct().isPresent()
                    && health.batteryPct().getAsInt() <= LOW_BATTERY_PCT) {
                lowBattery++;
            }
        }
        DeviceSummary.Builder out = DeviceSummary.newBuilder().setOnline(online).setOffline(configured - online)
                .setLowBattery(lowBattery);
        Map<String, Long> now = byReason(rejections.get());
        now.forEach((reason, count) -> {
            long inWindow = count - rejectedBefore.getOrDefault(reason, 0L);
            if (inWindow > 0) {
                out.putRejectedByReason(reason, inWindow);
            }
        });
        rejectedBefore = now;
        return out.build();
    }

    private static Map<String, Long> byReason(Map<Rejection, Map<String, Long>> counts) {
        Map<String, Long> byReason = new HashMap<>();
        counts.forEach((reason, byDevice) -> byDevice.values()
                .forEach(n -> byReason.merge(reason.label(), n, Long::sum)));
        return byReason;
    }

    private Optional<ShopperSession> consenting(String sessionId) {
        return sessions.find(sessionId).filter(ShopperSession::analyticsConsent);
    }

    /** Everything counted in the current window. */
    private static final class Window {
        final Map<String, ZoneTally> zones = new HashMap<>();
        final PickupTally pickup = new PickupTally();
        final KioskTally kiosk = new KioskTally();
        final Map<String, ShopperTally> shoppers = new LinkedHashMap<>();
        int samples;

        ZoneTally zone(String zoneId) {
            return zones.computeIfAbsent(zoneId, z -> new ZoneTally());
        }

        ShopperTally shopper(String sessionId, ByteString hash) {
            return shoppers.computeIfAbsent(sessionId, s -> new ShopperTally(hash));
        }
    }

    private static final class ZoneTally {
        long linkedSum;
        long anonymousSum;
        int linkedPeak;
        int anonymousPeak;
        int entries;
        final List<Double> dwellS = new ArrayList<>();

        void sample(ZoneOccupancy now) {
            linkedSum += now.linked();
            anonymousSum += now.anonymous();
            linkedPeak = Math.max(linkedPeak, now.linked());
            anonymousPeak = Math.max(anonymousPeak, now.anonymous());
        }

        ZoneSummary summary(String zoneId, int samples) {
            Percentiles dwell = new Percentiles(dwellS.stream().mapToDouble(Double::doubleValue).toArray());
            return ZoneSummary.newBuilder().setZoneId(zoneId)
                    .setLinkedMean(samples == 0 ? 0 : (double) linkedSum / samples).setLinkedPeak(linkedPeak)
                    .setAnonymousMean(samples == 0 ? 0 : (double) anonymousSum / samples)
                    .setAnonymousPeak(anonymousPeak).setEntries(entries).setVisitsEnded(dwellS.size())
                    .setDwellP50S(dwell.at(0.5)).setDwellP90S(dwell.at(0.9)).build();
        }
    }

    private static final class PickupTally {
        int ready;
        int arrived;
        int handedOff;
        int breaches;
        final List<Double> waitsS = new ArrayList<>();

        PickupSummary summary() {
            Percentiles waits = new Percentiles(waitsS.stream().mapToDouble(Double::doubleValue).toArray());
            return PickupSummary.newBuilder().setReady(ready).setArrived(arrived).setHandedOff(handedOff)
                    .setWaitP50S(waits.at(0.5)).setWaitP95S(waits.at(0.95)).setServiceLevelBreaches(breaches).build();
        }
    }

    private static final class KioskTally {
        int sessionScans;
        int productLookups;
        int pickupCheckIns;
        int feedback;
        final FeedbackTally all = new FeedbackTally();
        final FeedbackTally withBreach = new FeedbackTally();
        final FeedbackTally withoutBreach = new FeedbackTally();
        final Map<EventKey, KioskInteraction.Feedback> awaitingTouch = new HashMap<>();

        KioskSummary summary() {
            // A feedback whose touch has not come by the window's end has no known visit.
            awaitingTouch.values().forEach(withoutBreach::add);
            awaitingTouch.clear();
            return KioskSummary.newBuilder().setSessionScans(sessionScans).setProductLookups(productLookups)
                    .setPickupCheckIns(pickupCheckIns).setFeedback(feedback).setAll(all.scores())
                    .setWithBreach(withBreach.scores()).setWithoutBreach(withoutBreach.scores()).build();
        }
    }

    private static final class ShopperTally {
        final ByteString hash;
        final Map<String, Long> dwellMsByZone = new LinkedHashMap<>();
        int kioskInteractions;
        int handedOff;

        ShopperTally(ByteString hash) {
            this.hash = hash;
        }

        /** The part of a visit inside the window that starts at {@code windowStartMs}, up to {@code untilMs}. */
        void dwell(OpenVisit visit, long untilMs, long windowStartMs) {
            long ms = untilMs - Math.max(visit.enteredAtMs(), windowStartMs);
            if (ms > 0) {
                dwellMsByZone.merge(visit.zoneId(), ms, Long::sum);
            }
        }

        ShopperRecord record() {
            ShopperRecord.Builder out = ShopperRecord.newBuilder().setShopperHash(hash)
                    .setKioskInteractions(kioskInteractions).setPickupsHandedOff(handedOff);
            dwellMsByZone.forEach((zone, ms) -> out.putDwellSByZone(zone, ms / 1000.0));
            return out.build();
        }
    }
}
