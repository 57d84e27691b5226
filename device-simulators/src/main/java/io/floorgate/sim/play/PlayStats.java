package io.floorgate.sim.play;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Counters of a play run, written by Paho's and the HTTP client's threads and the tick thread, read by the rate line. */
public final class PlayStats {

    final LongAdder sentQos0 = new LongAdder();
    final LongAdder sentQos1 = new LongAdder();
    final LongAdder acked = new LongAdder();
    final LongAdder errors = new LongAdder();
    final AtomicInteger inflight = new AtomicInteger();
    final LongAdder checkedIn = new LongAdder();
    final LongAdder checkedOut = new LongAdder();
    final LongAdder apiErrors = new LongAdder();
    final LongAdder droppedOffline = new LongAdder();
    final LongAdder reconnects = new LongAdder();

    public long sentQos0() {
        return sentQos0.sum();
    }

    public long sentQos1() {
        return sentQos1.sum();
    }

    public long acked() {
        return acked.sum();
    }

    public long errors() {
        return errors.sum();
    }

    public long checkedIn() {
        return checkedIn.sum();
    }

    public long checkedOut() {
        return checkedOut.sum();
    }

    /** App API calls that failed or got an unexpected status. */
    public long apiErrors() {
        return apiErrors.sum();
    }

    /** Messages a device would have published while it was not connected (an outage, a reboot, a lost link). */
    public long droppedOffline() {
        return droppedOffline.sum();
    }

    /** Connections lost unexpectedly and tried again with backoff. */
    public long reconnects() {
        return reconnects.sum();
    }

    public int inflight() {
        return inflight.get();
    }
}
