package io.floorgate.sim.upstream;

import java.util.List;

/**
 * One store's line of the consumer's table, a snapshot.
 *
 * @param status          the last status message ("online" / "offline"), empty when none arrived
 * @param summaries       distinct summaries received
 * @param events          distinct live events received
 * @param duplicates      messages dropped because their seq had been received already
 * @param lowestSeq       the lowest seq received (0: none)
 * @param highestSeq      the highest seq received (0: none)
 * @param gaps            seqs between the lowest and the highest that have not arrived
 * @param explainedGaps   how many of those the store reported dropped at its outbox bound
 * @param missing         the missing seqs as ranges, lowest first ("12..15", "20")
 * @param restarts        seq jumps to a gateway's run start (its start time in ms x 1000): skipped, not gaps
 * @param lastWindowEndMs the latest summary window's end, epoch ms (0: none)
 */
public record StoreRow(String storeId, String status, long summaries, long events, long duplicates, long lowestSeq,
                       long highestSeq, long gaps, long explainedGaps, List<String> missing, long restarts,
                       long lastWindowEndMs) {

    public StoreRow {
        missing = List.copyOf(missing);
    }

    /** Gaps the store did not report dropped: lost in transit, or not arrived yet. */
    public long unexplainedGaps() {
        return gaps - explainedGaps;
    }
}
