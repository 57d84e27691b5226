package io.floorgate.sim.play;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.OptionalInt;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PathLossModelTest {

    private static final int DRAWS = 20_000;

    @Test
    void hear_whenCloseBy_thenMeanRssiFollowsLogDistanceAndFifteenPercentAreMissed() {
        SplittableRandom rng = new SplittableRandom(7);
        double distance = 4;
        int heard = 0;
        double sum = 0;
        for (int i = 0; i < DRAWS; i++) {
            OptionalInt rssi = PathLossModel.SHOP_FLOOR.hear(distance, rng);
            if (rssi.isPresent()) {
                heard++;
                sum += rssi.getAsInt();
            }
        }
        double expected = -59 - 22 * Math.log10(distance);
        assertThat(sum / heard).isCloseTo(expected, within(0.3));
        assertThat(1 - (double) heard / DRAWS).isCloseTo(0.15, within(0.01));
    }

    @Test
    void hear_whenFarAway_thenOnlyStrongShadowingDrawsAreHeardAndNoneBelowSensitivity() {
        SplittableRandom rng = new SplittableRandom(8);
        double distance = 60;
        int heard = 0;
        for (int i = 0; i < DRAWS; i++) {
            OptionalInt rssi = PathLossModel.SHOP_FLOOR.hear(distance, rng);
            if (rssi.isPresent()) {
                heard++;
                assertThat(rssi.getAsInt()).isGreaterThanOrEqualTo(-100);
            }
        }
        // mean at 60 m is about -98 dBm: roughly two thirds of the non-missed draws are above -100
        assertThat((double) heard / DRAWS).isBetween(0.45, 0.75);
    }

    @Test
    void maxAudibleDistance_isWhereEvenFourSigmaCannotReachTheSensitivity() {
        double d = PathLossModel.SHOP_FLOOR.maxAudibleDistanceM();
        assertThat(PathLossModel.SHOP_FLOOR.meanRssiDbm(d) + 4 * 5).isCloseTo(-100, within(1e-9));
    }
}
