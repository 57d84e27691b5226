package io.floorgate.gateway.ingest;

import java.util.concurrent.TimeUnit;

/**
 * Lets one log line through per minute and counts the ones it holds back, so that a storm of refusals of one kind is
 * a line a minute, not a line per connection or packet. Synchronized: every event loop may ask.
 */
public final class LogGate {

    static final long INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private long nextLineAt;
    private boolean logged;
    private long heldBack;

    /** @return how many were held back since the last line, when this one may be logged; -1 when it may not */
    public synchronized long pass(long nowNanos) {
        if (logged && nowNanos - nextLineAt < 0) {
            heldBack++;
            return -1;
        }
        logged = true;
        nextLineAt = nowNanos + INTERVAL_NANOS;
        long held = heldBack;
        heldBack = 0;
        return held;
    }
}
