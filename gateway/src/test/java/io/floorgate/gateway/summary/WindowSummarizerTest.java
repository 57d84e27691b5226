package io.floorgate.gateway.summary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import com.google.protobuf.ByteString;
import io.floorgate.config.Device;
import io.floorgate.config.StoreConfig;
import io.floorgate.gateway.ingest.DeviceHealth;
import io.floorgate.gateway.ingest.Rejection;
import io.floorgate.gateway.linking.InMemorySessionDirectory;
import io.floorgate.gateway.linking.ShopperSession;
import io.floorgate.gateway.linking.Touch;
import io.floorgate.gateway.linking.TouchKind;
import io.floorgate.gateway.location.ZoneEntry;
import io.floorgate.gateway.location.ZoneExit;
import io.floorgate.gateway.location.ZoneOccupancy;
import io.floorgate.gateway.pickup.Order;
import io.floorgate.gateway.pickup.OrderState;
import io.floorgate.gateway.pickup.PickupEvent;
import io.floorgate.gateway.pickup.StepSource;
import io.floorgate.gateway.testing.TestStore;
import io.floorgate.gateway.upstream.Pseudonyms;
import io.floorgate.proto.v1.DeviceEvent;
import io.floorgate.proto.v1.FeedbackScores;
import io.floorgate.proto.v1.KioskInteraction;
import io.floorgate.proto.v1.ScoreAggregate;
import io.floorgate.proto.v1.ShopperRecord;
import io.floorgate.proto.v1.StoreSummary;
import io.floorgate.proto.v1.ZoneSummary;
import io.floorgate.gateway.testing.Customers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The summarizer driven with a test clock and the values the stages' listeners and queries would give. */
class WindowSummarizerTest {

    private static final long WINDOW_MS = 10_000;
    /** A window boundary: the first window is [T0, T0 + 10 s). */
    private static final long T0 = 1_700_000_000_000L;
    private static final String KEY = "a-store-key-of-32-characters....";

    private final StoreConfig store = TestStore.config();
    private final InMemorySessionDirectory sessions = new InMemorySessionDirectory();
    private final Pseudonyms pseudonyms = new Pseudonyms(KEY);
    private final Map<String, ZoneOccupancy> occupancy = new HashMap<>();
    private final List<DeviceHealth> devices = new ArrayList<>();
    private final Map<Rejection, Map<String, Long>> rejections = new EnumMap<>(Rejection.class);
    private WindowSummarizer summarizer;
    private Device kiosk;

    @BeforeEach
    void setUp() {
        sessions.start(session("s-yes", Optional.of("cust-1"), true));
        sessions.start(session("s-anon-id", Optional.empty(), true));
        sessions.start(session("s-no", Optional.of("cust-2"), false));
        rejections.put(Rejection.RATE_LIMITED, new HashMap<>(Map.of(TestStore.BLE, 5L)));
        kiosk = store.device(TestStore.KIOSK).orElseThrow();
        summarizer = new WindowSummarizer(() -> store, sessions, pseudonyms, () -> Map.copyOf(occupancy),
                () -> List.copyOf(devices), this::rejectionsCopy, WINDOW_MS, T0 + 300);
    }

    @Test
    void closeUntil_whenTrafficWasPlayed_thenTheWindowsSummaryHoldsExactlyItsNumbers() {
        occupancy.put("floor", new ZoneOccupancy(2, 3));
        summarizer.sample();
        occupancy.put("floor", new ZoneOccupancy(4, 1));
        summarizer.sample();
        occupancy.put("floor", new ZoneOccupancy(0, 0));
        summarizer.sample();

        summarizer.entered(new ZoneEntry("s-yes", "floor", T0 + 1_000));
        summarizer.entered(new ZoneEntry("s-no", "floor", T0 + 1_000));
        for (long dwellS : new long[] {40, 10, 30, 20}) {
            summarizer.exited(new ZoneExit("gone-" + dwellS, "floor", T0 - dwellS * 1000 + 2_000, T0 + 2_000));
        }

        summarizer.pickup(new PickupEvent.Ready(order("o-1", "cust-1", Optional.empty())));
        summarizer.pickup(new PickupEvent.Ready(order("o-2", "cust-9", Optional.empty())));
        summarizer.pickup(new PickupEvent.Arrived(order("o-1", "cust-1", Optional.of("s-yes")), StepSource.ZONE));
        summarizer.pickup(new PickupEvent.ServiceLevelBreached(order("o-1", "cust-1", Optional.of("s-yes")), 400_000,
                300_000));
        summarizer.pickup(new PickupEvent.HandedOff(order("o-1", "cust-1", Optional.of("s-yes")), StepSource.NFC,
                120_000));
        summarizer.pickup(new PickupEvent.HandedOff(order("o-3", "cust-9", Optional.empty()), StepSource.STAFF, 30_000));
        summarizer.pickup(new PickupEvent.HandedOff(order("o-4", "cust-2", Optional.of("s-no")), StepSource.STAFF,
                90_000));

        summarizer.kiosk(kiosk, kioskEvent(1, KioskInteraction.newBuilder().setSessionScan(
                KioskInteraction.SessionScan.newBuilder().setSessionToken(ByteString.copyFromUtf8("t")))));
        summarizer.kiosk(kiosk, kioskEvent(2, lookup()));
        summarizer.kiosk(kiosk, kioskEvent(3, lookup()));
        summarizer.kiosk(kiosk, kioskEvent(4, KioskInteraction.newBuilder().setPickupCheckIn(
                KioskInteraction.PickupCheckIn.newBuilder().setOrderCode("C"))));
        summarizer.kiosk(kiosk, kioskEvent(10, feedback(5, 10, null)));
        summarizer.kiosk(kiosk, kioskEvent(11, feedback(2, null, 6)));
        summarizer.kiosk(kiosk, kioskEvent(12, feedback(null, 3, null)));
        summarizer.touched(touch("s-yes", TouchKind.KIOSK_SCAN, 1));
        summarizer.touched(touch("s-yes", TouchKind.PRODUCT_LOOKUP, 2));
        summarizer.touched(touch("s-no", TouchKind.PRODUCT_LOOKUP, 3));
        summarizer.touched(touch("s-yes", TouchKind.FEEDBACK, 10));
        summarizer.touched(touch("s-anon-id", TouchKind.FEEDBACK, 11));
        // seq 12 was given outside a kiosk session: no touch.

        devices.add(new DeviceHealth(TestStore.BLE, true, OptionalLong.of(T0), OptionalLong.of(1), OptionalInt.of(15), Optional.of("1.0"), 0));
        devices.add(new DeviceHealth(TestStore.BLE_2, true, OptionalLong.of(T0), OptionalLong.of(1), OptionalInt.of(80), Optional.of("1.0"), 0));
        devices.add(new DeviceHealth(TestStore.NFC, false, OptionalLong.of(T0), OptionalLong.of(1), OptionalInt.of(20), Optional.of("1.0"), 0));
        rejections.get(Rejection.RATE_LIMITED).put(TestStore.BLE, 12L);
        rejections.put(Rejection.UNKNOWN_DEVICE, new HashMap<>(Map.of("unknown", 3L)));

        assertThat(summarizer.closeUntil(T0 + WINDOW_MS - 1)).isEmpty();
        List<StoreSummary> closed = summarizer.closeUntil(T0 + WINDOW_MS);

        assertThat(closed).hasSize(1);
        StoreSummary summary = closed.get(0);
        assertThat(summary.getWindowStartMs()).isEqualTo(T0);
        assertThat(summary.getWindowEndMs()).isEqualTo(T0 + WINDOW_MS);

        ZoneSummary floor = summary.getZones(0);
        assertThat(summary.getZonesCount()).isEqualTo(1);
        assertThat(floor.getZoneId()).isEqualTo("floor");
        assertThat(floor.getLinkedMean()).isEqualTo(2.0);
        assertThat(floor.getLinkedPeak()).isEqualTo(4);
        assertThat(floor.getAnonymousMean()).isCloseTo(4.0 / 3, within(1e-9));
        assertThat(floor.getAnonymousPeak()).isEqualTo(3);
        assertThat(floor.getEntries()).isEqualTo(2);
        assertThat(floor.getVisitsEnded()).isEqualTo(4);
        assertThat(floor.getDwellP50S()).isEqualTo(20.0);
        assertThat(floor.getDwellP90S()).isEqualTo(40.0);

        assertThat(summary.getPickup().getReady()).isEqualTo(2);
        assertThat(summary.getPickup().getArrived()).isEqualTo(1);
        assertThat(summary.getPickup().getHandedOff()).isEqualTo(3);
        assertThat(summary.getPickup().getWaitP50S()).isEqualTo(90.0);
        assertThat(summary.getPickup().getWaitP95S()).isEqualTo(120.0);
        assertThat(summary.getPickup().getServiceLevelBreaches()).isEqualTo(1);

        assertThat(summary.getKiosks().getSessionScans()).isEqualTo(1);
        assertThat(summary.getKiosks().getProductLookups()).isEqualTo(2);
        assertThat(summary.getKiosks().getPickupCheckIns()).isEqualTo(1);
        assertThat(summary.getKiosks().getFeedback()).isEqualTo(3);
        FeedbackScores all = summary.getKiosks().getAll();
        assertThat(all.getCsat()).isEqualTo(score(2, 3.5, 0, 1, 0, 0, 1));
        assertThat(all.getNps()).isEqualTo(score(2, 6.5, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1));
        assertThat(all.getCes()).isEqualTo(score(1, 6.0, 0, 0, 0, 0, 0, 1, 0));
        // s-yes's order breached before its feedback; s-anon-id had none; seq 12 has no known visit.
        FeedbackScores withBreach = summary.getKiosks().getWithBreach();
        assertThat(withBreach.getCsat()).isEqualTo(score(1, 5.0, 0, 0, 0, 0, 1));
        assertThat(withBreach.getNps()).isEqualTo(score(1, 10.0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1));
        assertThat(withBreach.getCes()).isEqualTo(ScoreAggregate.getDefaultInstance());
        FeedbackScores withoutBreach = summary.getKiosks().getWithoutBreach();
        assertThat(withoutBreach.getCsat()).isEqualTo(score(1, 2.0, 0, 1, 0, 0, 0));
        assertThat(withoutBreach.getNps()).isEqualTo(score(1, 3.0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0));
        assertThat(withoutBreach.getCes()).isEqualTo(score(1, 6.0, 0, 0, 0, 0, 0, 1, 0));

        assertThat(summary.getDevices().getOnline()).isEqualTo(2);
        assertThat(summary.getDevices().getOffline()).isEqualTo(2);
        assertThat(summary.getDevices().getLowBattery()).isEqualTo(2);
        assertThat(summary.getDevices().getRejectedByReasonMap())
                .isEqualTo(Map.of("rate_limited", 7L, "unknown_device", 3L));

        assertThat(summary.getShoppersList()).containsExactlyInAnyOrder(
                ShopperRecord.newBuilder().setShopperHash(pseudonyms.customer("cust-1"))
                        .putDwellSByZone("floor", 9.0).setKioskInteractions(3).setPickupsHandedOff(1).build(),
                ShopperRecord.newBuilder().setShopperHash(pseudonyms.session("s-anon-id"))
                        .setKioskInteractions(1).build());
    }

    @Test
    void closeUntil_whenWindowsPassWithoutTraffic_thenEachGetsASummaryAndTheyTileTime() {
        summarizer.entered(new ZoneEntry("s-yes", "floor", T0 + 4_000));
        rejections.get(Rejection.RATE_LIMITED).put(TestStore.BLE, 6L);
        summarizer.closeUntil(T0 + WINDOW_MS + 5);

        List<StoreSummary> quiet = summarizer.closeUntil(T0 + 3 * WINDOW_MS + 500);

        assertThat(quiet).extracting(StoreSummary::getWindowStartMs)
                .containsExactly(T0 + WINDOW_MS, T0 + 2 * WINDOW_MS);
        assertThat(quiet).extracting(StoreSummary::getWindowEndMs)
                .containsExactly(T0 + 2 * WINDOW_MS, T0 + 3 * WINDOW_MS);
        for (StoreSummary summary : quiet) {
            assertThat(summary.getZonesList()).extracting(ZoneSummary::getZoneId).containsExactly("floor");
            assertThat(summary.getZones(0).getEntries()).isZero();
            assertThat(summary.getZones(0).getLinkedMean()).isZero();
            assertThat(summary.getPickup().getHandedOff()).isZero();
            assertThat(summary.getKiosks().getAll().getCsat().getHistogramList()).isEmpty();
            assertThat(summary.getDevices().getOffline()).isEqualTo(4);
            assertThat(summary.getDevices().getRejectedByReasonMap()).isEmpty();
            // The consenting shopper still on the floor: the whole window, in each window.
            assertThat(summary.getShoppersList()).containsExactly(ShopperRecord.newBuilder()
                    .setShopperHash(pseudonyms.customer("cust-1")).putDwellSByZone("floor", 10.0).build());
        }
    }

    @Test
    void closeUntil_whenAShopperHasNoAnalyticsConsent_thenTheyCountOnlyInTheAnonymousAggregates() {
        summarizer.entered(new ZoneEntry("s-no", "floor", T0 + 1_000));
        summarizer.exited(new ZoneExit("s-no", "floor", T0 + 1_000, T0 + 7_000));
        summarizer.touched(touch("s-no", TouchKind.KIOSK_SCAN, 1));
        summarizer.pickup(new PickupEvent.HandedOff(order("o-4", "cust-2", Optional.of("s-no")), StepSource.STAFF,
                1_000));

        StoreSummary summary = summarizer.closeUntil(T0 + WINDOW_MS).get(0);

        assertThat(summary.getShoppersList()).isEmpty();
        assertThat(summary.getZones(0).getEntries()).isEqualTo(1);
        assertThat(summary.getZones(0).getDwellP50S()).isEqualTo(6.0);
        assertThat(summary.getPickup().getHandedOff()).isEqualTo(1);
    }

    @Test
    void closeUntil_whenAShopperWithdrawsAnalyticsMidWindow_thenTheWindowHasNoRecordOfThem_butTheAggregatesCountThem() {
        summarizer.entered(new ZoneEntry("s-yes", "floor", T0 + 1_000));
        summarizer.touched(touch("s-yes", TouchKind.KIOSK_SCAN, 1));
        sessions.start(session("s-yes", Optional.of("cust-1"), false));
        summarizer.analyticsWithdrawn("s-yes");
        summarizer.touched(touch("s-yes", TouchKind.PRODUCT_LOOKUP, 2));

        StoreSummary inProgress = summarizer.closeUntil(T0 + WINDOW_MS).get(0);
        summarizer.exited(new ZoneExit("s-yes", "floor", T0 + 1_000, T0 + WINDOW_MS + 2_000));
        StoreSummary next = summarizer.closeUntil(T0 + 2 * WINDOW_MS).get(0);

        assertThat(inProgress.getShoppersList()).as("not even for the visit still open").isEmpty();
        assertThat(next.getShoppersList()).isEmpty();
        assertThat(inProgress.getZones(0).getEntries()).isEqualTo(1);
        assertThat(next.getZones(0).getDwellP50S()).isEqualTo(11.0);
    }

    @Test
    void closeUntil_whenAVisitSpansTwoWindows_thenEachWindowGetsItsOwnPartOfTheDwell() {
        summarizer.entered(new ZoneEntry("s-yes", "floor", T0 + 6_000));
        StoreSummary first = summarizer.closeUntil(T0 + WINDOW_MS).get(0);
        summarizer.exited(new ZoneExit("s-yes", "floor", T0 + 6_000, T0 + WINDOW_MS + 2_500));
        StoreSummary second = summarizer.closeUntil(T0 + 2 * WINDOW_MS).get(0);

        assertThat(first.getShoppers(0).getDwellSByZoneMap()).isEqualTo(Map.of("floor", 4.0));
        assertThat(second.getShoppers(0).getDwellSByZoneMap()).isEqualTo(Map.of("floor", 2.5));
        assertThat(first.getZones(0).getVisitsEnded()).isZero();
        assertThat(second.getZones(0).getDwellP50S()).isEqualTo(6.5);
    }

    @Test
    void closeUntil_whenTheClockJumpsFarAhead_thenAtMostTheCatchUpWindowsAreSummarizedAndTheCurrentOneIsNext() {
        long now = T0 + 1_000 * WINDOW_MS + 1;

        List<StoreSummary> closed = summarizer.closeUntil(now);

        assertThat(closed).hasSize(WindowSummarizer.MAX_CATCH_UP_WINDOWS);
        assertThat(closed.get(closed.size() - 1).getWindowEndMs())
                .isEqualTo(T0 + WindowSummarizer.MAX_CATCH_UP_WINDOWS * WINDOW_MS);
        assertThat(summarizer.closeUntil(now + WINDOW_MS)).extracting(StoreSummary::getWindowStartMs)
                .containsExactly(T0 + 1_000 * WINDOW_MS);
    }

    private Map<Rejection, Map<String, Long>> rejectionsCopy() {
        Map<Rejection, Map<String, Long>> copy = new EnumMap<>(Rejection.class);
        rejections.forEach((reason, byDevice) -> copy.put(reason, Map.copyOf(byDevice)));
        return copy;
    }

    private ShopperSession session(String id, Optional<String> customerRef, boolean analytics) {
        return new ShopperSession(id, "app-" + id, customerRef.map(ref -> Customers.customer(ref, pseudonyms)), true,
                analytics, new byte[16], Duration.ofMinutes(1), T0 - 60_000);
    }

    private static Order order(String id, String customerRef, Optional<String> sessionId) {
        return new Order(id, Customers.hash(customerRef), "counter", "code-" + id, OrderState.READY, sessionId, OptionalInt.empty(),
                T0, OptionalLong.empty(), OptionalLong.of(T0 + 1_000), OptionalLong.empty());
    }

    private static DeviceEvent kioskEvent(long seq, KioskInteraction.Builder interaction) {
        return DeviceEvent.newBuilder().setDeviceId(TestStore.KIOSK).setBootId(7).setSeq(seq)
                .setObservedAtMs(T0 + 1_000).setKioskInteraction(interaction).build();
    }

    private static KioskInteraction.Builder lookup() {
        return KioskInteraction.newBuilder().setProductLookup(KioskInteraction.ProductLookup.newBuilder().setSku("s"));
    }

    private static KioskInteraction.Builder feedback(Integer csat, Integer nps, Integer ces) {
        KioskInteraction.Feedback.Builder feedback = KioskInteraction.Feedback.newBuilder();
        if (csat != null) {
            feedback.setCsat(csat);
        }
        if (nps != null) {
            feedback.setNps(nps);
        }
        if (ces != null) {
            feedback.setCes(ces);
        }
        return KioskInteraction.newBuilder().setFeedback(feedback);
    }

    private static Touch touch(String sessionId, TouchKind kind, long seq) {
        return new Touch(sessionId, TestStore.KIOSK, "floor", true, kind, 7, seq, T0 + 1_500);
    }

    private static ScoreAggregate score(int count, double mean, int... histogram) {
        ScoreAggregate.Builder out = ScoreAggregate.newBuilder().setCount(count).setMean(mean);
        for (int n : histogram) {
            out.addHistogram(n);
        }
        return out.build();
    }
}
