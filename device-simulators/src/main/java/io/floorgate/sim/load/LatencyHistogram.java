package io.floorgate.sim.load;

/**
 * Latencies in microseconds, in log-linear buckets: exact below 64, then 32 linear sub-buckets per
 * power of two, so a reported value (a bucket's midpoint) is within about 1.6 % of the recorded one
 * (like HdrHistogram with two significant digits),
 * in constant memory whatever the number of samples. Not thread-safe: keep one per event loop and
 * {@link #add} them at the end.
 */
public final class LatencyHistogram {

    private static final int EXACT = 64;
    private static final int SUB_BUCKETS = 32;
    /** log2(SUB_BUCKETS): a value v >= 64 falls in power-of-two range e = log2(v) - 5, with buckets 2^e wide. */
    private static final int SUB_BUCKET_BITS = 5;
    /** Values below 2^41 us (about 25 days) fit; anything larger is clamped into the last bucket. */
    private static final int MAX_EXPONENT = 35;

    private final long[] counts = new long[EXACT + MAX_EXPONENT * SUB_BUCKETS];
    private long total;
    private long max;

    public void record(long micros) {
        long value = Math.max(0, micros);
        counts[indexOf(value)]++;
        total++;
        max = Math.max(max, value);
    }

    public void add(LatencyHistogram other) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        max = Math.max(max, other.max);
    }

    public long count() {
        return total;
    }

    public long maxMicros() {
        return max;
    }

    /** The value at or below which {@code percentile} % of the samples fall (bucket midpoint); 0 when empty. */
    public long percentileMicros(double percentile) {
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(percentile / 100.0 * total));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(max, (lowerBound(i) + upperBound(i)) / 2);
            }
        }
        return max;
    }

    static int indexOf(long value) {
        if (value < EXACT) {
            return (int) value;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(value) - SUB_BUCKET_BITS;
        if (exponent > MAX_EXPONENT) {
            return EXACT + MAX_EXPONENT * SUB_BUCKETS - 1;
        }
        int sub = (int) (value >>> exponent) - SUB_BUCKETS;
        return EXACT + (exponent - 1) * SUB_BUCKETS + sub;
    }

    private static long lowerBound(int index) {
        if (index < EXACT) {
            return index;
        }
        int exponent = (index - EXACT) / SUB_BUCKETS + 1;
        long sub = (index - EXACT) % SUB_BUCKETS;
        return (sub + SUB_BUCKETS) << exponent;
    }

    private static long upperBound(int index) {
        if (index < EXACT) {
            return index;
        }
        int exponent = (index - EXACT) / SUB_BUCKETS + 1;
        return lowerBound(index) + (1L << exponent) - 1;
    }
}
