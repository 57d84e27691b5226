package io.floorgate.sim.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.floorgate.sim.play.TruthRow;
import io.floorgate.sim.score.LocationPoll.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

class LocationScorerTest {

    private static final long T0 = 1_700_000_000_000L;
    /** Polls land half way between truth samples, as they do in a run. */
    private static final long POLL_OFFSET_MS = 500;

    @Test
    void score_whenGatewayShowsTheNewZoneThreeSecondsLate_thenDelayShareAndDwellSaySo() {
        List<TruthRow> truth = truth("alice", 20, s -> s < 10 ? "a" : "b");
        List<LocationPoll> polls = polls("alice", 20, s -> s < 12 ? "a" : "b");

        LocationScore score = LocationScorer.score(truth, polls);

        assertThat(score.shopperSeconds()).isEqualTo(20);
        assertThat(score.rightZoneShare()).isCloseTo(18 / 20.0, within(1e-9));
        // both wrong seconds are the gateway catching up after the crossing
        assertThat(score.settlingShare()).isCloseTo(2 / 20.0, within(1e-9));
        assertThat(score.crossings()).isEqualTo(1);
        assertThat(score.detected()).isEqualTo(1);
        // crossing dated half way between the samples at 9 s and 10 s; first poll showing b at 12.5 s
        assertThat(score.changeDelayP50Ms()).isEqualTo(3_000);
        assertThat(score.changeDelayP95Ms()).isEqualTo(3_000);
        assertThat(score.observedChanges()).isEqualTo(1);
        assertThat(score.falseChanges()).isZero();
        assertThat(score.dwell()).containsExactly(new ZoneDwellError("a", 1, 10, 2), new ZoneDwellError("b", 1, 10, 2));
    }

    @Test
    void score_whenGatewayFlapsToAZoneTheShopperNeverWasIn_thenOnlyTheFlapIsAFalseChange() {
        List<TruthRow> truth = truth("bob", 20, s -> "a");
        List<LocationPoll> polls = polls("bob", 20, s -> s == 5 ? "c" : "a");

        LocationScore score = LocationScorer.score(truth, polls);

        assertThat(score.observedChanges()).isEqualTo(2);
        assertThat(score.falseChanges()).isEqualTo(1);
        assertThat(score.crossings()).isZero();
        assertThat(score.rightZoneShare()).isCloseTo(19 / 20.0, within(1e-9));
        // the first zone counts from the first truth row: at 5.5 s the flap is still within the settling time
        assertThat(score.settlingShare()).isCloseTo(1 / 20.0, within(1e-9));
    }

    @Test
    void score_whenShopperLeavesZoneBeforeGatewayShowsIt_thenTheCrossingIsMissedAndTheLateChangeIsNotFalse() {
        // in b for three seconds only; the gateway shows b once, after the shopper is back in a
        List<TruthRow> truth = truth("carol", 20, s -> s >= 5 && s < 8 ? "b" : "a");
        List<LocationPoll> polls = polls("carol", 20, s -> s == 9 ? "b" : "a");

        LocationScore score = LocationScorer.score(truth, polls);

        assertThat(score.crossings()).isEqualTo(2);
        assertThat(score.detected()).isEqualTo(1);
        assertThat(score.falseChanges()).isZero();
    }

    @Test
    void score_whenNotLocatedYet_thenCountsAsWrongAndUnknown() {
        List<TruthRow> truth = truth("dan", 10, s -> "a");
        List<LocationPoll> polls = new ArrayList<>();
        for (int s = 0; s < 10; s++) {
            long at = T0 + s * 1000L + POLL_OFFSET_MS;
            polls.add(s < 4 ? LocationPoll.of(at, "dan", true, Outcome.UNKNOWN) : LocationPoll.located(at, "dan", "a"));
        }

        LocationScore score = LocationScorer.score(truth, polls);

        assertThat(score.rightZoneShare()).isCloseTo(0.6, within(1e-9));
        assertThat(score.unknownShare()).isCloseTo(0.4, within(1e-9));
    }

    @Test
    void score_whenAShopperWithoutConsentIsEverAnsweredOtherThan403_thenTheScoreSaysSo() {
        List<TruthRow> truth = truth("eve", 3, s -> "a");
        List<LocationPoll> refusedOnly = List.of(LocationPoll.of(T0, "eve", false, Outcome.REFUSED),
                LocationPoll.of(T0 + 1000, "eve", false, Outcome.REFUSED));
        List<LocationPoll> oneLocated = List.of(LocationPoll.of(T0, "eve", false, Outcome.REFUSED),
                new LocationPoll(T0 + 1000, "eve", false, Outcome.LOCATED, java.util.Optional.of("a")));

        assertThat(LocationScorer.score(truth, refusedOnly).everyShopperWithoutConsentRefused()).isTrue();
        assertThat(LocationScorer.score(truth, refusedOnly).shopperSeconds()).isZero();
        assertThat(LocationScorer.score(truth, oneLocated).everyShopperWithoutConsentRefused()).isFalse();
    }

    @Test
    void score_whenPolledAfterTheShopperLeft_thenThosePollsAreNotShopperSeconds() {
        List<TruthRow> truth = truth("fay", 5, s -> "a");
        List<LocationPoll> polls = polls("fay", 8, s -> "a");

        assertThat(LocationScorer.score(truth, polls).shopperSeconds()).isEqualTo(5);
    }

    @Test
    void percentile_whenRankedByNearestRank_thenP50AndP95AreMembers() {
        List<Long> sorted = List.of(100L, 200L, 300L, 400L, 500L, 600L, 700L, 800L, 900L, 1000L);

        assertThat(LocationScorer.percentile(sorted, 50)).isEqualTo(500);
        assertThat(LocationScorer.percentile(sorted, 95)).isEqualTo(1000);
        assertThat(LocationScorer.percentile(List.of(), 95)).isZero();
    }

    private static List<TruthRow> truth(String shopper, int seconds, IntFunction<String> zoneAt) {
        List<TruthRow> rows = new ArrayList<>();
        for (int s = 0; s < seconds; s++) {
            rows.add(new TruthRow(T0 + s * 1000L, shopper, zoneAt.apply(s), 0, 0));
        }
        return rows;
    }

    private static List<LocationPoll> polls(String shopper, int seconds, IntFunction<String> zoneAt) {
        List<LocationPoll> polls = new ArrayList<>();
        for (int s = 0; s < seconds; s++) {
            polls.add(LocationPoll.located(T0 + s * 1000L + POLL_OFFSET_MS, shopper, zoneAt.apply(s)));
        }
        return polls;
    }
}
