package io.floorgate.sim.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void percentiles_whenUniformSamples_thenWithinBucketPrecisionOfTheExactValues() {
        LatencyHistogram h = new LatencyHistogram();
        for (long v = 1; v <= 100_000; v++) {
            h.record(v);
        }
        assertThat((double) h.percentileMicros(50)).isCloseTo(50_000, within(50_000 * 0.02));
        assertThat((double) h.percentileMicros(99)).isCloseTo(99_000, within(99_000 * 0.02));
        assertThat(h.maxMicros()).isEqualTo(100_000);
        assertThat(h.count()).isEqualTo(100_000);
    }

    @Test
    void percentiles_whenSkewedSamplesFromTwoHistograms_thenMatchSortedSamples() {
        SplittableRandom rng = new SplittableRandom(11);
        LatencyHistogram a = new LatencyHistogram();
        LatencyHistogram b = new LatencyHistogram();
        long[] samples = new long[50_000];
        for (int i = 0; i < samples.length; i++) {
            // log-normal-ish: most around a millisecond, a long tail to hundreds of milliseconds
            samples[i] = (long) Math.exp(7 + 1.5 * rng.nextGaussian());
            (i % 2 == 0 ? a : b).record(samples[i]);
        }
        a.add(b);
        Arrays.sort(samples);
        for (double p : new double[] {50, 90, 99, 99.9}) {
            long exact = samples[(int) Math.ceil(p / 100 * samples.length) - 1];
            assertThat((double) a.percentileMicros(p)).as("p%s", p).isCloseTo(exact, within(exact * 0.02 + 1));
        }
        assertThat(a.maxMicros()).isEqualTo(samples[samples.length - 1]);
    }

    @Test
    void percentile_whenEmptyOrTiny_thenExact() {
        LatencyHistogram h = new LatencyHistogram();
        assertThat(h.percentileMicros(99)).isZero();
        h.record(3);
        h.record(7);
        assertThat(h.percentileMicros(50)).isEqualTo(3);
        assertThat(h.percentileMicros(100)).isEqualTo(7);
    }
}
