package io.floorgate.sim.play;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReconnectBackoffTest {

    private final SplittableRandom rng = new SplittableRandom(1);

    @Test
    void delayMs_whenAttemptsGrow_thenDoublesWithinHalfToAllOfItsCeilingUpToTheMaximum() {
        for (int attempt = 0; attempt < 80; attempt++) {
            long ceiling = Math.min(ReconnectBackoff.MAX_MS, ReconnectBackoff.BASE_MS << Math.min(attempt, 20));
            for (int i = 0; i < 100; i++) {
                assertThat(ReconnectBackoff.delayMs(attempt, rng)).isBetween(ceiling / 2, ceiling);
            }
        }
    }

    @Test
    void delayMs_whenManyDevicesRetryTogether_thenTheirWaitsSpread() {
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int device = 0; device < 1_000; device++) {
            long delay = ReconnectBackoff.delayMs(3, rng);
            min = Math.min(min, delay);
            max = Math.max(max, delay);
        }
        assertThat(max - min).isGreaterThan(ReconnectBackoff.BASE_MS << 3 >> 2);
    }

    @Test
    void attemptAfterLoss_whenTheLostConnectionHadLasted_thenStartsOverFromTheShortestWait() {
        assertThat(ReconnectBackoff.attemptAfterLoss(6, ReconnectBackoff.STABLE_MS)).isZero();
    }

    @Test
    void attemptAfterLoss_whenTheConnectionWasLostSoonAfterItWasMade_thenTheWaitKeepsGrowing() {
        assertThat(ReconnectBackoff.attemptAfterLoss(6, ReconnectBackoff.STABLE_MS - 1)).isEqualTo(6);
        assertThat(ReconnectBackoff.attemptAfterLoss(0, 0)).isZero();
    }
}
