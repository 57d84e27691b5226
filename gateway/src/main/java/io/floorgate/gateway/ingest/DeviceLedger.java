package io.floorgate.gateway.ingest;

import io.floorgate.gateway.limits.TokenBucket;

/**
 * What the gateway remembers of one registered device across its connections: its publish
 * allowance and its replay window. A reconnect neither refills the one nor forgets the other.
 * Accessed from whichever event loop the device's current connection lives on, hence synchronized.
 */
final class DeviceLedger {

    private final TokenBucket bucket;
    private final ReplayWindow window = new ReplayWindow();
    /** Set once the replay window has been restored from the database after a gateway start. */
    private boolean restored;
    private DeviceConnection connection;

    DeviceLedger(double ratePerSecond, int burst, long nowNanos) {
        this.bucket = new TokenBucket(ratePerSecond, burst, nowNanos);
    }

    TokenBucket bucket() {
        return bucket;
    }

    synchronized boolean isNew(long bootId, long seq) {
        return window.isNew(bootId, seq);
    }

    synchronized void mark(long bootId, long seq) {
        window.mark(bootId, seq);
    }

    /** The event's write failed: its re-send must be taken in again, see {@link ReplayWindow#forget}. */
    synchronized void forget(long bootId, long seq) {
        window.forget(bootId, seq);
    }

    synchronized boolean restored() {
        return restored;
    }

    /** Replays what the database holds of the device's latest boot into the window, once. */
    synchronized void restore(long bootId, long[] storedSeqs) {
        if (!restored) {
            for (long seq : storedSeqs) {
                window.mark(bootId, seq);
            }
            restored = true;
        }
    }

    /** Makes {@code next} the device's connection and returns the one it replaces, if any [MQTT-3.1.4-3]. */
    synchronized DeviceConnection takeOver(DeviceConnection next) {
        DeviceConnection previous = connection;
        connection = next;
        return previous;
    }

    /** @return true if {@code closing} was the device's connection, so the device is now offline */
    synchronized boolean release(DeviceConnection closing) {
        if (connection == closing) {
            connection = null;
            return true;
        }
        return false;
    }

    synchronized DeviceConnection connection() {
        return connection;
    }
}
