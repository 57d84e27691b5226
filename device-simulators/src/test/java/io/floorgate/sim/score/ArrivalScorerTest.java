package io.floorgate.sim.score;

import static org.assertj.core.api.Assertions.assertThat;

import io.floorgate.sim.play.TrueArrival;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ArrivalScorerTest {

    private static final long T0 = 1_800_000_000_000L;
    private static final long END = T0 + 600_000;

    @Test
    void score_whenEveryArrivalIsNotifiedAfterADelay_thenPercentilesAreThoseDelays() {
        List<TrueArrival> truth = IntStream.range(0, 20)
                .mapToObj(i -> new TrueArrival("o" + i, "s" + i, T0 + i * 10_000L)).toList();
        // delays 100, 200, ... 2,000 ms
        List<ArrivalNotice> notices = IntStream.range(0, 20)
                .mapToObj(i -> new ArrivalNotice(T0 + i * 10_000L + (i + 1) * 100L, "o" + i, "zone")).toList();

        ArrivalScore score = ArrivalScorer.score(orders(20), truth, notices, END);

        assertThat(score.detected()).isEqualTo(20);
        assertThat(score.missed()).isZero();
        assertThat(score.delayP50Ms()).isEqualTo(1_000);
        assertThat(score.delayP95Ms()).isEqualTo(1_900);
        assertThat(score.falseArrivals()).isZero();
    }

    @Test
    void score_whenArrivalsAreKnownByZoneAndByApp_thenEachSourceHasItsOwnDelays() {
        List<TrueArrival> truth = List.of(new TrueArrival("o0", "s0", T0), new TrueArrival("o1", "s1", T0),
                new TrueArrival("o2", "s2", T0));
        List<ArrivalNotice> notices = List.of(new ArrivalNotice(T0 + 5_000, "o0", "zone"),
                new ArrivalNotice(T0 + 6_000, "o1", "zone"), new ArrivalNotice(T0 + 20, "o2", "app"));

        ArrivalScore score = ArrivalScorer.score(orders(3), truth, notices, END);

        assertThat(score.bySource()).containsExactly(new SourceDelay("app", 1, 20, 20),
                new SourceDelay("zone", 2, 5_000, 6_000));
        assertThat(score.delayP95Ms()).isEqualTo(6_000);
    }

    @Test
    void score_whenOrderIsNotifiedBeforeItsShopperReachedThePickupZone_thenItIsAFalseArrival() {
        List<TrueArrival> truth = List.of(new TrueArrival("o0", "s0", T0 + 10_000),
                new TrueArrival("o1", "s1", T0 + 10_000));
        List<ArrivalNotice> notices = List.of(new ArrivalNotice(T0 + 5_000, "o0", "zone"),
                new ArrivalNotice(T0 + 11_000, "o1", "zone"), new ArrivalNotice(T0 + 12_000, "o2", "zone"));

        ArrivalScore score = ArrivalScorer.score(orders(3), truth, notices, END);

        assertThat(score.notices()).isEqualTo(3);
        assertThat(score.falseArrivals()).isEqualTo(2);
        assertThat(score.falseArrivalShare()).isEqualTo(2.0 / 3);
        assertThat(score.detected()).isEqualTo(1);
        assertThat(score.missed()).isEqualTo(1);
    }

    @Test
    void score_whenNotifiedWithinOneTickBeforeTheTruth_thenItCountsAsOnTime() {
        List<TrueArrival> truth = List.of(new TrueArrival("o0", "s0", T0 + 10_000));
        List<ArrivalNotice> notices = List.of(new ArrivalNotice(T0 + 10_000 - ArrivalScorer.EARLY_TOLERANCE_MS, "o0",
                "app"));

        ArrivalScore score = ArrivalScorer.score(orders(1), truth, notices, END);

        assertThat(score.falseArrivals()).isZero();
        assertThat(score.detected()).isEqualTo(1);
        assertThat(score.delayP95Ms()).isZero();
    }

    @Test
    void score_whenArrivalIsInTheLastSecondsOrNotificationIsAnotherRunsOrder_thenNeitherIsJudged() {
        List<TrueArrival> truth = List.of(new TrueArrival("o0", "s0", END - 1_000));
        List<ArrivalNotice> notices = List.of(new ArrivalNotice(T0, "earlier-run-order", "kiosk"),
                new ArrivalNotice(END, "o0", "zone"));

        ArrivalScore score = ArrivalScorer.score(orders(1), truth, notices, END);

        assertThat(score.trueArrivals()).isZero();
        assertThat(score.detected()).isZero();
        assertThat(score.missed()).isZero();
        assertThat(score.notices()).isEqualTo(1);
        assertThat(score.falseArrivals()).isZero();
    }

    private static Set<String> orders(int n) {
        return Set.copyOf(IntStream.range(0, n).mapToObj(i -> "o" + i).toList());
    }
}
