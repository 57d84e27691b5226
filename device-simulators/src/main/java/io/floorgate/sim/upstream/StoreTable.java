package io.floorgate.sim.upstream;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** The consumer's plain-text table: one line per store, then the totals and the missing seqs. */
final class StoreTable {

    private static final String FORMAT = "%-20s %-8s %10s %8s %6s %-37s %6s %8s %8s  %s%n";
    private static final DateTimeFormatter WINDOW_END = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    /** Beyond this many ranges per store the list says how many more, so one broken store cannot flood the screen. */
    private static final int MAX_RANGES_SHOWN = 5;

    private StoreTable() {
    }

    static String format(List<StoreRow> rows, long invalid) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(FORMAT, "store", "status", "summaries", "events", "dups", "seqs", "gaps",
                "unexpl.", "restarts", "last window end (UTC)"));
        long summaries = 0;
        long events = 0;
        long duplicates = 0;
        long gaps = 0;
        long unexplained = 0;
        for (StoreRow r : rows) {
            out.append(String.format(FORMAT, r.storeId(), r.status().isEmpty() ? "-" : r.status(), r.summaries(),
                    r.events(), r.duplicates(), r.highestSeq() == 0 ? "-" : r.lowestSeq() + ".." + r.highestSeq(),
                    r.gaps(), r.unexplainedGaps(), r.restarts(),
                    r.lastWindowEndMs() == 0 ? "-" : WINDOW_END.format(Instant.ofEpochMilli(r.lastWindowEndMs()))));
            summaries += r.summaries();
            events += r.events();
            duplicates += r.duplicates();
            gaps += r.gaps();
            unexplained += r.unexplainedGaps();
        }
        out.append(String.format("stores=%d summaries=%d events=%d duplicates=%d gaps=%d unexplained=%d invalid=%d%n",
                rows.size(), summaries, events, duplicates, gaps, unexplained, invalid));
        for (StoreRow r : rows) {
            if (r.gaps() > 0) {
                List<String> shown = r.missing().subList(0, Math.min(MAX_RANGES_SHOWN, r.missing().size()));
                int more = r.missing().size() - shown.size();
                out.append(String.format("  %s missing %s%s (%d reported dropped at the store's outbox bound)%n",
                        r.storeId(), String.join(", ", shown), more > 0 ? " and " + more + " more ranges" : "",
                        r.explainedGaps()));
            }
        }
        return out.toString();
    }
}
