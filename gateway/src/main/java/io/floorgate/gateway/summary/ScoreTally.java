package io.floorgate.gateway.summary;

import io.floorgate.proto.v1.ScoreAggregate;

/** One survey scale's answers in a window: a count per score value from the scale's lowest up. */
final class ScoreTally {

    private final int lowest;
    private final long[] counts;

    /** @param lowest, highest the scale's ends, as device.proto's Feedback states them (CSAT 1..5, NPS 0..10, CES 1..7) */
    ScoreTally(int lowest, int highest) {
        this.lowest = lowest;
        this.counts = new long[highest - lowest + 1];
    }

    static ScoreTally csat() {
        return new ScoreTally(1, 5);
    }

    static ScoreTally nps() {
        return new ScoreTally(0, 10);
    }

    static ScoreTally ces() {
        return new ScoreTally(1, 7);
    }

    /** Ingest validated the range already; a score outside it would be a bug there, and fails loudly here. */
    void add(int score) {
        counts[score - lowest]++;
    }

    ScoreAggregate aggregate() {
        ScoreAggregate.Builder out = ScoreAggregate.newBuilder();
        long count = 0;
        long sum = 0;
        for (int i = 0; i < counts.length; i++) {
            count += counts[i];
            sum += counts[i] * (lowest + i);
        }
        if (count == 0) {
            return out.build();
        }
        for (long c : counts) {
            out.addHistogram((int) c);
        }
        return out.setCount((int) count).setMean((double) sum / count).build();
    }
}
