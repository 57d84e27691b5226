package io.floorgate.gateway.ingest;

import java.util.Arrays;

/**
 * Which (bootId, seq) pairs of one device have been taken in, after the anti-replay window of
 * RFC 4303 section 3.4.3: the highest seq seen and a bitmap of the {@link #SIZE} below it.
 *
 * <p>Why a boot id: a device that reboots restarts its seq counter. Keying on seq alone would
 * take its new events for replays; with a boot id drawn at every boot, a new boot opens a fresh
 * window. The window of the previous boot is kept too, so a message of the old boot that the
 * device re-sends after reconnecting is still recognized. Anything older, or below the window,
 * is treated as a duplicate; the database's primary key (device_id, boot_id, seq) is the final
 * guard against a second row.
 *
 * <p>Not thread-safe: guarded by its {@link DeviceLedger}.
 */
final class ReplayWindow {

    static final int SIZE = 1024;
    private static final int WORDS = SIZE / Long.SIZE;

    private long bootId;
    private long highest;
    private final long[] seen = new long[WORDS];

    private long previousBootId;
    private long previousHighest;
    private final long[] previousSeen = new long[WORDS];

    /** @return true if (bootId, seq) has not been taken in before */
    boolean isNew(long messageBootId, long seq) {
        if (messageBootId == bootId) {
            return isNew(highest, seen, seq);
        }
        if (messageBootId == previousBootId && previousBootId != 0) {
            return isNew(previousHighest, previousSeen, seq);
        }
        return true;
    }

    /** Records (bootId, seq) as taken in; a boot id not seen before becomes the current boot. */
    void mark(long messageBootId, long seq) {
        if (messageBootId == bootId) {
            highest = mark(highest, seen, seq);
        } else if (messageBootId == previousBootId && previousBootId != 0) {
            previousHighest = mark(previousHighest, previousSeen, seq);
        } else {
            previousBootId = bootId;
            previousHighest = highest;
            System.arraycopy(seen, 0, previousSeen, 0, WORDS);
            bootId = messageBootId;
            Arrays.fill(seen, 0);
            highest = mark(0, seen, seq);
        }
    }

    /**
     * Takes back a mark whose write was not committed, so that the device's re-send is stored rather than taken for
     * a duplicate. The highest seq stays: later seqs were seen, and a seq below it is checked by its own bit.
     */
    void forget(long messageBootId, long seq) {
        if (messageBootId == bootId && seq <= highest && highest - seq < SIZE) {
            clear(seen, seq);
        } else if (messageBootId == previousBootId && previousBootId != 0 && seq <= previousHighest
                && previousHighest - seq < SIZE) {
            clear(previousSeen, seq);
        }
    }

    private static boolean isNew(long highest, long[] bits, long seq) {
        if (seq > highest) {
            return true;
        }
        long age = highest - seq;
        if (age >= SIZE) {
            return false;
        }
        int index = (int) (seq % SIZE);
        return (bits[index / Long.SIZE] & (1L << (index % Long.SIZE))) == 0;
    }

    private static long mark(long highest, long[] bits, long seq) {
        if (seq > highest) {
            long advance = seq - highest;
            if (advance >= SIZE) {
                Arrays.fill(bits, 0);
            } else {
                for (long s = highest + 1; s < seq; s++) {
                    clear(bits, s);
                }
            }
            highest = seq;
        }
        int index = (int) (seq % SIZE);
        bits[index / Long.SIZE] |= 1L << (index % Long.SIZE);
        return highest;
    }

    private static void clear(long[] bits, long seq) {
        int index = (int) (seq % SIZE);
        bits[index / Long.SIZE] &= ~(1L << (index % Long.SIZE));
    }
}
