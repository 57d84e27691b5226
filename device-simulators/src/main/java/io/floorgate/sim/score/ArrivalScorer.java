package io.floorgate.sim.score;

import io.floorgate.sim.play.StoreSimulation;
import io.floorgate.sim.play.TrueArrival;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Scores the staff stream's arrival notifications against the true arrivals. Pure: true arrivals and
 * notifications are in epoch milliseconds on one clock, which holds when the simulation runs at real time.
 */
public final class ArrivalScorer {

    /**
     * A notification may precede the truth by one tick: the truth is dated at the tick in which the shopper
     * stepped in, and the app's "I'm here" leaves during that same tick.
     */
    static final long EARLY_TOLERANCE_MS = StoreSimulation.TICK_MS;
    /**
     * An arrival this close to the end of the run is not judged: its notification may still be on the way,
     * and the location pipeline alone needs several seconds to place a shopper in a new zone.
     */
    static final long UNJUDGED_TAIL_MS = 15_000;

    private ArrivalScorer() {
    }

    /**
     * @param orders  every order this run marked ready; notifications about any other order are not this run's
     * @param truth   the true arrivals
     * @param notices the staff stream's arrival notifications
     * @param endMs   when the run stopped listening
     */
    public static ArrivalScore score(Set<String> orders, List<TrueArrival> truth, List<ArrivalNotice> notices,
                                     long endMs) {
        Map<String, Long> arrivedAt = new HashMap<>();
        truth.forEach(t -> arrivedAt.putIfAbsent(t.orderId(), t.epochMs()));
        Map<String, ArrivalNotice> firstNotice = new HashMap<>();
        notices.stream().filter(n -> orders.contains(n.orderId()))
                .forEach(n -> firstNotice.merge(n.orderId(), n, (a, b) -> a.epochMs() <= b.epochMs() ? a : b));
        List<Long> delays = new ArrayList<>();
        Map<String, List<Long>> delaysBySource = new TreeMap<>();
        int falseArrivals = 0;
        for (ArrivalNotice n : firstNotice.values()) {
            Long at = arrivedAt.get(n.orderId());
            if (at == null || n.epochMs() < at - EARLY_TOLERANCE_MS) {
                falseArrivals++;
            } else if (at <= endMs - UNJUDGED_TAIL_MS) {
                long delay = Math.max(0, n.epochMs() - at);
                delays.add(delay);
                delaysBySource.computeIfAbsent(n.source(), k -> new ArrayList<>()).add(delay);
            }
        }
        int judged = (int) arrivedAt.values().stream().filter(at -> at <= endMs - UNJUDGED_TAIL_MS).count();
        delays.sort(null);
        List<SourceDelay> bySource = new ArrayList<>();
        delaysBySource.forEach((source, d) -> {
            d.sort(null);
            bySource.add(new SourceDelay(source, d.size(), LocationScorer.percentile(d, 50),
                    LocationScorer.percentile(d, 95)));
        });
        return new ArrivalScore(orders.size(), judged, delays.size(), judged - delays.size(),
                LocationScorer.percentile(delays, 50), LocationScorer.percentile(delays, 95), bySource,
                firstNotice.size(), falseArrivals);
    }
}
