package io.floorgate.gateway.location;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A 20 m corridor: zone a (x 0..10) with receivers at x = 2 and 8, zone b (x 10..20) with receivers at 12 and 18.
 * Readings follow the simulator's model: log-distance path loss, exponent 2.2, -59 dBm at 1 m, σ = 5 dB
 * Gaussian noise per report, each receiver reporting once a second.
 */
class ZoneEstimatorTest {

    private record Receiver(String id, String zone, double x) {
    }

    private static final List<Receiver> RECEIVERS = List.of(new Receiver("a-1", "a", 2), new Receiver("a-2", "a", 8),
            new Receiver("b-1", "b", 12), new Receiver("b-2", "b", 18));
    private static final double NOISE_SIGMA_DB = 5;
    private static final long T0 = 1_800_000_000_000L;

    private final List<ZoneEntry> entries = new ArrayList<>();
    private final List<ZoneExit> exits = new ArrayList<>();
    private final List<Double> confidences = new ArrayList<>();
    private final ZoneEstimator estimator = new ZoneEstimator(new ZoneChangeListener() {
        @Override
        public void entered(ZoneEntry entry) {
            entries.add(entry);
        }

        @Override
        public void exited(ZoneExit exit) {
            exits.add(exit);
        }
    });

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
    void observe_whenShopperWalksFromAToBWithNoisyReadings_thenSwitchesOnceAndRecordsExitAndEntry(int seed) {
        Random noise = new Random(seed);
        double speedMps = 1.0;
        long crossingMs = T0 + 7_000;
        for (int second = 0; second <= 40; second++) {
            double x = Math.min(17, 3 + speedMps * second);
            reportAll(noise, x, T0 + second * 1_000L);
        }

        assertThat(entries).extracting(ZoneEntry::zoneId).containsExactly("a", "b");
        assertThat(exits).singleElement().satisfies(exit -> {
            assertThat(exit.zoneId()).isEqualTo("a");
            assertThat(exit.enteredAtMs()).isEqualTo(T0);
            assertThat(exit.exitedAtMs()).isEqualTo(entries.get(1).atMs()).isBetween(crossingMs - 3_000, crossingMs + 4_000);
            assertThat(exit.dwellMs()).isEqualTo(exit.exitedAtMs() - T0);
        });
        assertThat(estimator.locationOf("anna")).map(ShopperLocation::zoneId).contains("b");
        assertThat(confidences).allSatisfy(c -> assertThat(c).isBetween(0.0, 1.0));
    }

    @Test
    void observe_whenShopperStandsOnTheBorder_thenConfidenceIsLowButWithinZeroAndOne() {
        Random noise = new Random(3);
        for (int second = 0; second < 30; second++) {
            reportAll(noise, 10, T0 + second * 1_000L);
        }

        assertThat(confidences).allSatisfy(c -> assertThat(c).isBetween(0.0, 1.0));
        assertThat(estimator.locationOf("anna")).map(ShopperLocation::confidence).hasValueSatisfying(
                c -> assertThat(c).isLessThan(0.7));
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
        estimator.observe("ben", "b-2", "b", -60, T0);

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

    /** Every receiver reports in turn, a quarter second apart, as unsynchronised receivers do. */
    private void reportAll(Random noise, double x, long atMs) {
        for (int i = 0; i < RECEIVERS.size(); i++) {
            Receiver r = RECEIVERS.get(i);
            double distance = Math.max(0.5, Math.hypot(x - r.x(), 1.0));
            double rssi = -59 - 10 * 2.2 * Math.log10(distance) + noise.nextGaussian() * NOISE_SIGMA_DB;
            Optional<ShopperLocation> location = estimator.observe("anna", r.id(), r.zone(), Math.round(rssi),
                    atMs + i * 250L);
            location.ifPresent(l -> confidences.add(l.confidence()));
        }
    }
}
