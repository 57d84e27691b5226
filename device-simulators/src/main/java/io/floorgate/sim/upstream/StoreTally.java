package io.floorgate.sim.upstream;

import io.floorgate.proto.v1.OutboxBoundReached;
import io.floorgate.proto.v1.UpstreamMessage;

/**
 * What one store has sent, as the chain's consumer sees it: the messages kept once each by their seq, the seqs
 * missing between the lowest and the highest seen, and which of those the store said it dropped.
 *
 * <p>A store's seq grows by one per message committed to its outbox and never repeats (upstream.proto). So a seq
 * already seen is a duplicate (at-least-once delivery: a resend after a lost PUBACK, or after the gateway
 * restarted), and a seq skipped is either still on its way (a live event overtakes the summaries queued before
 * it) or was dropped at the outbox's bound, which the store reports in an {@link OutboxBoundReached} event. Seqs
 * below the first one seen are not gaps: the consumer may have started after them.
 *
 * <p>Restarts: at every start the gateway moves its next seq up to its start time in ms times 1000 (so that a
 * database restored from an older backup never hands out a seq again; gateway upstream/OutboxTable). The seqs
 * skipped there were never used. A run of missing seqs that ends just below such a run start (a multiple of 1000
 * above {@link #RUN_START_FLOOR}) is therefore counted as a restart, not as gaps; a seq inside it that still
 * arrives (the previous run's backlog, overtaken by the new run's live events) is new, not a duplicate.
 *
 * <p>Not thread-safe: {@link ChainTally} serializes access.
 */
final class StoreTally {

    /** No seq seen yet; seqs start at 1. */
    private static final long NONE = 0;
    /** The gateway's seqs per millisecond at a run start (gateway upstream/OutboxTable.SEQS_PER_MS). */
    private static final long SEQS_PER_MS = 1000;
    /** Run starts are start times in ms (after 2001-09-09, 10^12 ms) times {@link #SEQS_PER_MS}. */
    static final long RUN_START_FLOOR = 1_000_000_000_000L * SEQS_PER_MS;

    private final String storeId;
    private final SeqRanges missing = new SeqRanges();
    private final SeqRanges reportedDropped = new SeqRanges();
    /** Seqs skipped at gateway restarts, less those that arrived after all. */
    private final SeqRanges skippedAtRestart = new SeqRanges();
    private long restarts;
    private long lowest = NONE;
    private long highest = NONE;
    private long summaries;
    private long events;
    private long duplicates;
    private long lastWindowEndMs;
    private String status = "";

    StoreTally(String storeId) {
        this.storeId = storeId;
    }

    /** Counts the message once per seq; false when its seq was already seen (a duplicate, dropped). */
    boolean accept(UpstreamMessage message) {
        if (!firstSight(message.getSeq())) {
            duplicates++;
            return false;
        }
        switch (message.getBodyCase()) {
            case SUMMARY -> {
                summaries++;
                lastWindowEndMs = Math.max(lastWindowEndMs, message.getSummary().getWindowEndMs());
            }
            case EVENT -> {
                events++;
                if (message.getEvent().hasOutboxBoundReached()) {
                    OutboxBoundReached dropped = message.getEvent().getOutboxBoundReached();
                    // an event without a range reads as 0..0: seq 0 is never missing, so it explains nothing
                    if (dropped.getFirstDroppedSeq() <= dropped.getLastDroppedSeq()) {
                        reportedDropped.add(dropped.getFirstDroppedSeq(), dropped.getLastDroppedSeq());
                    }
                }
            }
            default -> throw new IllegalArgumentException("a message without a body: " + message.getBodyCase());
        }
        return true;
    }

    /** The retained status topic's text: "online", or the last will's "offline". */
    void status(String text) {
        status = text;
    }

    StoreRow row() {
        long gaps = missing.count();
        long explained = missing.overlap(reportedDropped);
        return new StoreRow(storeId, status, summaries, events, duplicates, lowest, highest, gaps, explained,
                missing.spelled(), restarts, lastWindowEndMs);
    }

    private boolean firstSight(long seq) {
        if (highest == NONE) {
            lowest = seq;
            highest = seq;
            return true;
        }
        if (seq > highest) {
            if (seq > highest + 1) {
                notReceived(highest + 1, seq - 1);
            }
            highest = seq;
            return true;
        }
        if (seq < lowest) {
            if (seq < lowest - 1) {
                notReceived(seq + 1, lowest - 1);
            }
            lowest = seq;
            return true;
        }
        return missing.remove(seq) || skippedAtRestart.remove(seq);
    }

    /** Seqs first..last have not been received (yet): a restart's skip, or gaps. */
    private void notReceived(long first, long last) {
        long next = last + 1;
        if (next >= RUN_START_FLOOR && next % SEQS_PER_MS == 0) {
            skippedAtRestart.add(first, last);
            restarts++;
        } else {
            missing.add(first, last);
        }
    }
}
