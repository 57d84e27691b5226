package io.floorgate.gateway.summary;

import java.util.Arrays;

/**
 * Nearest-rank percentiles: the smallest value with at least {@code p} of the values at or below it, so every
 * percentile reported is a value that was actually seen (a chain comparing stores compares real waits, not
 * interpolations). 0 when there are no values, as upstream.proto says.
 */
final class Percentiles {

    private final double[] sorted;

    Percentiles(double[] values) {
        this.sorted = values.clone();
        Arrays.sort(this.sorted);
    }

    /** @param p in (0, 1] */
    double at(double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }
}
