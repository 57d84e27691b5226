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
 * <p>Not thread-safe: {@link ChainTally} serializes access.
 */
final class StoreTally {

    /** No seq seen yet; seqs start at 1. */
    private static final long NONE = 0;

    private final String storeId;
    private final SeqRanges missing = new SeqRanges();
    private final SeqRanges reportedDropped = new SeqRanges();
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
                missing.spelled(), lastWindowEndMs);
    }

    private boolean firstSight(long seq) {
        if (highest == NONE) {
            lowest = seq;
            highest = seq;
            return true;
        }
        if (seq > highest) {
            if (seq > highest + 1) {
                missing.add(highest + 1, seq - 1);
            }
            highest = seq;
            return true;
        }
        if (seq < lowest) {
            if (seq < lowest - 1) {
                missing.add(seq + 1, lowest - 1);
            }
            lowest = seq;
            return true;
        }
        return missing.remove(seq);
    }
}
