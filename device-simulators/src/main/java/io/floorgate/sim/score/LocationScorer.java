package io.floorgate.sim.score;

import io.floorgate.sim.play.StoreSimulation;
import io.floorgate.sim.play.TruthRow;
import io.floorgate.sim.score.LocationPoll.Outcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Scores the gateway's location answers against the ground truth. Pure: it sees only the truth
 * rows (one per shopper per second) and the polls (about one per shopper per second), both in
 * epoch milliseconds on the same clock, which holds when the simulation runs at real time.
 */
public final class LocationScorer {

    /**
     * Truth is sampled once a second, so a crossing happened somewhere between the last row in the
     * old zone and the first in the new one; it is dated half way, which is off by at most half a second.
     */
    static final long TRUTH_INTERVAL_MS = StoreSimulation.TRUTH_INTERVAL_MS;
    /**
     * A change shown to a zone the shopper was in this recently is late, not false: a shopper who
     * passes through a zone in a few seconds may be shown there after leaving it.
     */
    static final long LATE_CHANGE_TOLERANCE_MS = 10_000;
    /** A wrong answer this soon after the shopper entered the true zone is the gateway catching up, not misplacing. */
    static final long SETTLING_MS = 10_000;

    private LocationScorer() {
    }

    public static LocationScore score(List<TruthRow> truth, List<LocationPoll> polls) {
        Map<String, List<TruthRow>> truthByShopper = truth.stream().sorted(Comparator.comparingLong(TruthRow::epochMs))
                .collect(Collectors.groupingBy(TruthRow::shopperId));
        Map<String, List<LocationPoll>> pollsByShopper = new HashMap<>();
        long withoutConsent = 0;
        long refused = 0;
        long failed = 0;
        for (LocationPoll p : polls) {
            if (p.outcome() == Outcome.FAILED) {
                failed++;
            } else if (!p.locationConsent()) {
                withoutConsent++;
                refused += p.outcome() == Outcome.REFUSED ? 1 : 0;
            } else {
                pollsByShopper.computeIfAbsent(p.shopperId(), k -> new ArrayList<>()).add(p);
            }
        }
        Tally tally = new Tally();
        pollsByShopper.forEach((shopper, shopperPolls) -> {
            List<TruthRow> rows = truthByShopper.get(shopper);
            if (rows != null) {
                shopperPolls.sort(Comparator.comparingLong(LocationPoll::epochMs));
                tally.shopper(rows, shopperPolls);
            }
        });
        List<Long> delays = tally.delays.stream().sorted().toList();
        long seconds = tally.shopperSeconds;
        return new LocationScore(seconds, seconds == 0 ? 0 : (double) tally.right / seconds,
                seconds == 0 ? 0 : (double) tally.unknown / seconds,
                seconds == 0 ? 0 : (double) tally.wrongWhileSettling / seconds, tally.crossings, delays.size(),
                percentile(delays, 50), percentile(delays, 95), tally.observedChanges, tally.falseChanges,
                tally.dwellErrors(), withoutConsent, refused, failed);
    }

    /** Nearest rank; 0 when there is nothing to rank. */
    static long percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    /** A shopper truly entering a zone. */
    private record Crossing(long atMs, String zone) {
    }

    /** Running totals over all shoppers. */
    private static final class Tally {
        long shopperSeconds;
        long right;
        long unknown;
        long wrongWhileSettling;
        int crossings;
        int observedChanges;
        int falseChanges;
        final List<Long> delays = new ArrayList<>();
        /** zone → one {true seconds, gateway's seconds} per shopper who was there by either account. */
        final Map<String, List<long[]>> dwell = new TreeMap<>();

        void shopper(List<TruthRow> rows, List<LocationPoll> polls) {
            Map<String, long[]> shopperDwell = new HashMap<>();
            long[] zoneSince = zoneSince(rows);
            for (LocationPoll p : polls) {
                int at = truthAt(rows, p.epochMs());
                if (at < 0) {
                    continue;
                }
                TruthRow t = rows.get(at);
                boolean settling = p.epochMs() - zoneSince[at] < SETTLING_MS;
                shopperSeconds++;
                shopperDwell.computeIfAbsent(t.zone(), k -> new long[2])[0]++;
                if (p.outcome() == Outcome.UNKNOWN) {
                    unknown++;
                    continue;
                }
                String shown = p.zoneId().orElseThrow();
                shopperDwell.computeIfAbsent(shown, k -> new long[2])[1]++;
                if (shown.equals(t.zone())) {
                    right++;
                } else if (settling) {
                    wrongWhileSettling++;
                }
            }
            shopperDwell.forEach((zone, d) -> dwell.computeIfAbsent(zone, k -> new ArrayList<>()).add(d));
            crossings(rows, polls);
            observedChanges(rows, polls);
        }

        /** Each true crossing after the shopper's first poll: seen when a poll shows the new zone before the next crossing. */
        private void crossings(List<TruthRow> rows, List<LocationPoll> polls) {
            long firstPoll = polls.get(0).epochMs();
            long lastPoll = polls.get(polls.size() - 1).epochMs();
            List<Crossing> changes = new ArrayList<>();
            for (int i = 1; i < rows.size(); i++) {
                if (!rows.get(i).zone().equals(rows.get(i - 1).zone())) {
                    changes.add(new Crossing((rows.get(i - 1).epochMs() + rows.get(i).epochMs()) / 2,
                            rows.get(i).zone()));
                }
            }
            long truthEnd = rows.get(rows.size() - 1).epochMs() + TRUTH_INTERVAL_MS;
            for (int c = 0; c < changes.size(); c++) {
                long at = changes.get(c).atMs();
                long until = c + 1 < changes.size() ? changes.get(c + 1).atMs() : truthEnd;
                if (at < firstPoll || at > lastPoll) {
                    continue;
                }
                crossings++;
                String zone = changes.get(c).zone();
                for (LocationPoll p : polls) {
                    if (p.epochMs() >= at && p.epochMs() < until && p.zoneId().filter(zone::equals).isPresent()) {
                        delays.add(p.epochMs() - at);
                        break;
                    }
                }
            }
        }

        private void observedChanges(List<TruthRow> rows, List<LocationPoll> polls) {
            String previous = null;
            for (LocationPoll p : polls) {
                if (p.zoneId().isEmpty()) {
                    continue;
                }
                String zone = p.zoneId().get();
                if (previous != null && !previous.equals(zone)) {
                    observedChanges++;
                    if (!wasInRecently(rows, zone, p.epochMs())) {
                        falseChanges++;
                    }
                }
                previous = zone;
            }
        }

        List<ZoneDwellError> dwellErrors() {
            List<ZoneDwellError> errors = new ArrayList<>();
            dwell.forEach((zone, perShopper) -> errors.add(new ZoneDwellError(zone, perShopper.size(),
                    perShopper.stream().mapToLong(d -> d[0]).average().orElse(0),
                    perShopper.stream().mapToLong(d -> Math.abs(d[1] - d[0])).average().orElse(0))));
            return errors;
        }
    }

    /** For each truth row, since when the shopper had been in that row's zone: halfway from the row before the change. */
    private static long[] zoneSince(List<TruthRow> rows) {
        long[] since = new long[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            boolean changed = i > 0 && !rows.get(i).zone().equals(rows.get(i - 1).zone());
            since[i] = i == 0 ? rows.get(0).epochMs()
                    : changed ? (rows.get(i - 1).epochMs() + rows.get(i).epochMs()) / 2 : since[i - 1];
        }
        return since;
    }

    /** The index of the truth row in force at a moment: the last at or before it; -1 before it or once the shopper left. */
    static int truthAt(List<TruthRow> rows, long epochMs) {
        int low = 0;
        int high = rows.size() - 1;
        int found = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (rows.get(mid).epochMs() <= epochMs) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return found < 0 || epochMs - rows.get(found).epochMs() >= TRUTH_INTERVAL_MS ? -1 : found;
    }

    /** In the zone within the tolerance before, or by the next truth sample after (the gateway may be the quicker). */
    private static boolean wasInRecently(List<TruthRow> rows, String zone, long epochMs) {
        for (TruthRow r : rows) {
            if (r.epochMs() >= epochMs - LATE_CHANGE_TOLERANCE_MS && r.epochMs() <= epochMs + TRUTH_INTERVAL_MS
                    && r.zone().equals(zone)) {
                return true;
            }
        }
        return false;
    }
}
