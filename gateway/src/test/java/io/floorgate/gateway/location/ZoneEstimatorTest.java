package io.floorgate.gateway.location;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.floorgate.config.Device;
import io.floorgate.config.DeviceKind;
import io.floorgate.config.FloorPlan;
import io.floorgate.config.Pickup;
import io.floorgate.config.Point;
import io.floorgate.config.StoreConfig;
import io.floorgate.config.StoreConfigLoader;
import io.floorgate.config.Zone;
import io.floorgate.config.ZoneKind;

/**
 * A 20 m by 4 m corridor: zone a (x 0..10) with receivers at x = 2 and 8, zone b (x 10..20) with receivers at 12
 * and 18, all on the centre line (y = 2); the shopper walks 1 m beside them (y = 3). Readings follow the
 * simulator's model: log-distance path loss, exponent 2.2, -59 dBm at 1 m, σ = 5 dB Gaussian noise per
 * report, each receiver reporting once a second.
 */
class ZoneEstimatorTest {

    private record Receiver(String id, double x) {
    }

    private static final List<Receiver> RECEIVERS = List.of(new Receiver("a-1", 2), new Receiver("a-2", 8),
            new Receiver("b-1", 12), new Receiver("b-2", 18));
    private static final double NOISE_SIGMA_DB = 5;
    /** A receiver reporting once a second hears a phone advertising every 250 ms about four times. */
    private static final int ADVERTISEMENTS_PER_REPORT = 4;
    private static final int TX_POWER_DBM = -59;
    private static final long T0 = 1_800_000_000_000L;

    private final List<ZoneEntry> entries = new ArrayList<>();
    private final List<ZoneExit> exits = new ArrayList<>();
    private final List<Double> confidences = new ArrayList<>();
    /** Tells {@link #entries} and {@link #exits}. */
    private final ZoneChangeListener recorded = new ZoneChangeListener() {
        @Override
        public void entered(ZoneEntry entry) {
            entries.add(entry);
        }

        @Override
        public void exited(ZoneExit exit) {
            exits.add(exit);
        }
    };
    private final ZoneEstimator estimator = new ZoneEstimator(FloorMap.of(corridor(true)), recorded);

    @Test
    void observe_whenShopperStandsNextToAReceiverInZoneA_thenIsLocatedInA() {
        Random noise = new Random(7);
        for (int second = 0; second < 20; second++) {
            reportAll(noise, 2.5, T0 + second * 1_000L);
        }

        assertThat(estimator.locationOf("anna")).hasValueSatisfying(l -> {
            assertThat(l.zoneId()).isEqualTo("a");
            assertThat(l.sinceMs()).isEqualTo(T0);
            assertThat(l.confidence()).isGreaterThan(0.5);
        });
        assertThat(entries).extracting(ZoneEntry::zoneId).containsExactly("a");
        assertThat(exits).isEmpty();
    }

    @ParameterizedTest(name = "noise seed {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void observe_whenShopperWalksFromAToBWithNoisyReadings_thenSwitchesToBAtTheCrossingAndStays(int seed) {
        Random noise = new Random(seed);
        double speedMps = 1.0;
        long crossingMs = T0 + 7_000;
        for (int second = 0; second <= 40; second++) {
            double x = Math.min(17, 3 + speedMps * second);
            reportAll(noise, x, T0 + second * 1_000L);
        }

        // on the border itself the readings may say either for a moment; away from it, never
        assertThat(entries.get(0)).isEqualTo(new ZoneEntry("anna", "a", T0));
        assertThat(entries).last().extracting(ZoneEntry::zoneId).isEqualTo("b");
        assertThat(entries.subList(1, entries.size())).allSatisfy(
                entry -> assertThat(entry.atMs()).isBetween(crossingMs - 3_000, crossingMs + 4_000));
        assertThat(entries.size()).as("changes, back and forth at the border at most once").isLessThanOrEqualTo(4);
        assertThat(exits).hasSize(entries.size() - 1);
        for (int i = 0; i < exits.size(); i++) {
            ZoneExit exit = exits.get(i);
            assertThat(exit.zoneId()).isEqualTo(entries.get(i).zoneId());
            assertThat(exit.enteredAtMs()).isEqualTo(entries.get(i).atMs());
            assertThat(exit.exitedAtMs()).isEqualTo(entries.get(i + 1).atMs());
            assertThat(exit.dwellMs()).isEqualTo(exit.exitedAtMs() - exit.enteredAtMs());
        }
        assertThat(estimator.locationOf("anna")).map(ShopperLocation::zoneId).contains("b");
        assertThat(confidences).allSatisfy(c -> assertThat(c).isBetween(0.0, 1.0));
    }

    @Test
    void observe_whenShopperStandsOnTheBorder_thenConfidenceIsLowerThanBesideAReceiverButWithinZeroAndOne() {
        Random noise = new Random(3);
        for (int second = 0; second < 30; second++) {
            reportAll(noise, 10, T0 + second * 1_000L);
        }
        ZoneEstimator inside = new ZoneEstimator(FloorMap.of(corridor(true)), recorded);
        for (int second = 0; second < 30; second++) {
            inside.observe("ben", "a-1", -59 - (int) Math.round(noise.nextGaussian() * 2.5), TX_POWER_DBM, 4,
                    T0 + second * 1_000L);
            inside.observe("ben", "b-2", -90 - (int) Math.round(noise.nextGaussian() * 2.5), TX_POWER_DBM, 4,
                    T0 + second * 1_000L);
            inside.settle(T0 + second * 1_000L + LocationStage.SETTLE_MS, (session, location) -> { });
        }

        assertThat(confidences).allSatisfy(c -> assertThat(c).isBetween(0.0, 1.0));
        double besideAReceiver = inside.locationOf("ben").orElseThrow().confidence();
        assertThat(besideAReceiver).isGreaterThan(0.99);
        assertThat(estimator.locationOf("anna")).map(ShopperLocation::confidence).hasValueSatisfying(
                c -> assertThat(c).isLessThan(besideAReceiver));
    }

    @Test
    void forget_whenSessionEnds_thenItsOpenVisitIsClosedAndItIsNoLongerLocated() {
        Random noise = new Random(1);
        for (int second = 0; second < 5; second++) {
            reportAll(noise, 2.5, T0 + second * 1_000L);
        }

        estimator.forget("anna", T0 + 9_000);

        assertThat(exits).containsExactly(new ZoneExit("anna", "a", T0, T0 + 9_000));
        assertThat(estimator.locationOf("anna")).isEmpty();
        assertThat(estimator.tracked()).isZero();
    }

    @Test
    void forgetAll_whenGatewayStops_thenEveryOpenVisitIsClosed() {
        Random noise = new Random(1);
        reportAll(noise, 2.5, T0);
        estimator.observe("ben", "b-2", -60, TX_POWER_DBM, 4, T0);

        estimator.forgetAll(T0 + 5_000);

        assertThat(exits).containsExactlyInAnyOrder(new ZoneExit("anna", "a", T0, T0 + 5_000),
                new ZoneExit("ben", "b", T0, T0 + 5_000));
        assertThat(estimator.tracked()).isZero();
    }

    @Test
    void expire_whenNoReceiverHearsTheShopperAnyMore_thenTheVisitEndsWhenLastHeard() {
        Random noise = new Random(1);
        for (int second = 0; second < 5; second++) {
            reportAll(noise, 2.5, T0 + second * 1_000L);
        }
        long lastHeard = T0 + 4_000 + 3 * 250;

        assertThat(estimator.expire(lastHeard + ZoneEstimator.LOST_AFTER_MS - 1)).isEmpty();
        assertThat(estimator.expire(lastHeard + ZoneEstimator.LOST_AFTER_MS)).containsExactly("anna");

        assertThat(exits).containsExactly(new ZoneExit("anna", "a", T0, lastHeard));
        assertThat(estimator.locationOf("anna")).isEmpty();
    }

    @Test
    void observe_whenANeverHeardShopperIsHeardRightNextToAReceiver_thenTheZoneIsDecidedAtOnce() {
        Optional<ShopperLocation> location = estimator.observe("anna", "b-1", -45, TX_POWER_DBM, 4, T0);

        assertThat(location).map(ShopperLocation::zoneId).contains("b");
        assertThat(entries).containsExactly(new ZoneEntry("anna", "b", T0));
    }

    @Test
    void observe_whenTheFirstReadingOnlySaysHowFarFromOneReceiver_thenTheZoneWaitsForTheRestOfTheRound() {
        // 6 m from b-1 (x = 12): a circle through both zones
        Optional<ShopperLocation> first = estimator.observe("anna", "b-1", -76, TX_POWER_DBM, 4, T0);
        estimator.observe("anna", "a-1", -59, TX_POWER_DBM, 4, T0 + 10);

        assertThat(first).isEmpty();
        assertThat(entries).isEmpty();
        estimator.settle(T0 + LocationStage.SETTLE_MS, (session, location) -> { });
        assertThat(entries).extracting(ZoneEntry::zoneId).containsExactly("a");
    }

    @Test
    void observe_whenTheTxPowerIsUnknown_thenATypicalPhoneIsAssumed() {
        Optional<ShopperLocation> location = estimator.observe("anna", "a-1", -45, 0, 4, T0);

        assertThat(location).map(ShopperLocation::zoneId).contains("a");
    }

    @Test
    void observe_whenTheReceiverIsNotOnTheFloor_thenTheReadingIsIgnored() {
        assertThat(estimator.observe("anna", "nfc-1", -45, TX_POWER_DBM, 4, T0)).isEmpty();

        assertThat(estimator.tracked()).isZero();
        assertThat(entries).isEmpty();
    }

    @Test
    void observe_whenZonesAreNotAdjacent_thenTheShopperCannotWalkThroughTheWall() {
        ZoneEstimator walled = new ZoneEstimator(FloorMap.of(corridor(false)), recorded);
        Random noise = new Random(5);
        // settled in a, next to the wall; then b's receivers hear the phone just across it for a few seconds
        for (int second = 0; second < 10; second++) {
            walled.observe("anna", "a-2", -59 - (int) Math.round(noise.nextGaussian()), TX_POWER_DBM, 4, T0 + second * 1_000L);
            walled.settle(T0 + second * 1_000L + LocationStage.SETTLE_MS, (session, location) -> { });
        }
        for (int second = 10; second < 14; second++) {
            walled.observe("anna", "b-1", -55, TX_POWER_DBM, 4, T0 + second * 1_000L);
            walled.settle(T0 + second * 1_000L + LocationStage.SETTLE_MS, (session, location) -> { });
        }

        assertThat(walled.locationOf("anna")).map(ShopperLocation::zoneId).contains("a");
        assertThat(entries).extracting(ZoneEntry::zoneId).containsExactly("a");
    }

    @Test
    void use_whenTheNewFloorNoLongerHasTheShoppersZone_thenTheVisitEndsAndTheZoneIsDecidedAgain() {
        Random noise = new Random(1);
        for (int second = 0; second < 5; second++) {
            reportAll(noise, 15, T0 + second * 1_000L);
        }
        assertThat(estimator.locationOf("anna")).map(ShopperLocation::zoneId).contains("b");
        StoreConfig onlyA = corridor(true);
        onlyA = new StoreConfig(null, onlyA.storeId(), onlyA.chainId(), onlyA.name(), onlyA.floorPlan(),
                onlyA.zones().subList(0, 1), onlyA.devices().subList(0, 2), List.of(), onlyA.pickup(), onlyA.limits(),
                onlyA.listeners(), onlyA.ingest(), onlyA.upstream(), onlyA.retention(), onlyA.sessions());

        estimator.use(FloorMap.of(onlyA), T0 + 5_000);
        estimator.observe("anna", "a-2", -60, TX_POWER_DBM, 4, T0 + 6_000);

        assertThat(exits).last().satisfies(exit -> {
            assertThat(exit.zoneId()).isEqualTo("b");
            assertThat(exit.exitedAtMs()).isEqualTo(T0 + 5_000);
        });
        assertThat(estimator.locationOf("anna")).map(ShopperLocation::zoneId).contains("a");
    }

    @Test
    void touched_whenAShopperTapsAReaderInA_thenIsInAAtOnceEvenIfTheRadioSaidB() {
        Random noise = new Random(2);
        for (int second = 0; second < 5; second++) {
            reportAll(noise, 15, T0 + second * 1_000L);
        }
        assertThat(estimator.locationOf("anna")).map(ShopperLocation::zoneId).contains("b");

        Optional<ShopperLocation> location = estimator.touched("anna", "nfc-1", T0 + 6_000);

        assertThat(location).map(ShopperLocation::zoneId).contains("a");
        assertThat(entries).last().isEqualTo(new ZoneEntry("anna", "a", T0 + 6_000));
    }

    @Test
    void touched_whenTheDeviceIsNotInTheConfiguration_thenNothingChanges() {
        assertThat(estimator.touched("anna", "kiosk-unknown", T0)).isEmpty();

        assertThat(estimator.tracked()).isZero();
    }

    @Test
    void ln_andExp_areCloseToTheJdksOverTheRangesTheFilterUses() {
        for (double x = 0.25; x < 1e6; x *= 1.01) {
            assertThat((double) ZoneEstimator.ln((float) x)).isCloseTo(Math.log(x), Offset.offset(1e-4));
        }
        for (double x = -39.9; x <= 0; x += 0.01) {
            assertThat(ZoneEstimator.exp((float) x) / Math.exp(x)).isCloseTo(1.0, Offset.offset(1e-3));
        }
        assertThat(ZoneEstimator.exp(-41)).isZero();
    }

    @Test
    void heardMeanAbove_whenThePhoneIsFarBelowTheSensitivity_thenOnlyTheLuckyAdvertisementsAreExpected() {
        // near: what is heard is what is sent
        assertThat((double) ZoneEstimator.heardMeanAbove(-10, TX_POWER_DBM)).isCloseTo(-10, Offset.offset(1e-3));
        // at the sensitivity (-100 dBm = tx - 41 dB), half the advertisements are lost, the mean of the rest is 4 dB up
        assertThat((double) ZoneEstimator.heardMeanAbove(-41, TX_POWER_DBM)).isCloseTo(-41 + 5 * 0.7979, Offset.offset(0.02));
        // far below it, the heard mean stays just above the sensitivity
        assertThat((double) ZoneEstimator.heardMeanAbove(-70, TX_POWER_DBM)).isBetween(-41.0, -40.0);
    }

    /** The corridor; with {@code walkable} false, a and b are separated by shelving, not open to each other. */
    private static StoreConfig corridor(boolean walkable) {
        StoreConfig demo;
        try {
            demo = StoreConfigLoader.loadDemo();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        List<Zone> zones = List.of(
                new Zone("a", "A", ZoneKind.AISLE, rectangle(0, 10), walkable ? List.of("b") : List.of()),
                new Zone("b", "B", ZoneKind.AISLE, rectangle(10, 20), walkable ? List.of("a") : List.of()));
        List<Device> devices = new ArrayList<>();
        for (Receiver r : RECEIVERS) {
            devices.add(new Device(r.id(), DeviceKind.BLE_RECEIVER, r.x() < 10 ? "a" : "b", new Point(r.x(), 2), "s"));
        }
        devices.add(new Device("nfc-1", DeviceKind.NFC_READER, "a", new Point(1, 1), "s"));
        return new StoreConfig(null, "corridor", "test", "Corridor", new FloorPlan(20, 4), zones, devices, List.of(),
                new Pickup(List.of(), Duration.ofMinutes(5)), demo.limits(), demo.listeners(), demo.ingest(),
                demo.upstream(), demo.retention(), demo.sessions());
    }

    private static List<Point> rectangle(double fromX, double toX) {
        return List.of(new Point(fromX, 0), new Point(toX, 0), new Point(toX, 4), new Point(fromX, 4));
    }

    /**
     * Every receiver reports in turn, a quarter second apart, as unsynchronised receivers do; then the stage
     * settles, as its timer does.
     */
    private void reportAll(Random noise, double x, long atMs) {
        for (int i = 0; i < RECEIVERS.size(); i++) {
            Receiver r = RECEIVERS.get(i);
            double distance = Math.max(0.5, Math.hypot(x - r.x(), 1.0));
            double rssi = TX_POWER_DBM - 10 * 2.2 * Math.log10(distance)
                    + noise.nextGaussian() * NOISE_SIGMA_DB / Math.sqrt(ADVERTISEMENTS_PER_REPORT);
            estimator.observe("anna", r.id(), (int) Math.round(rssi), TX_POWER_DBM, ADVERTISEMENTS_PER_REPORT,
                            atMs + i * 250L)
                    .ifPresent(l -> confidences.add(l.confidence()));
            estimator.settle(atMs + i * 250L + LocationStage.SETTLE_MS, (session, l) -> confidences.add(l.confidence()));
        }
    }
}
