package io.floorgate.gateway.limits;

/**
 * An allowance of {@code ratePerSecond} sustained, {@code burst} at once: a device's publishes (shared by all of its
 * connections, so a reconnect does not refill it), a connection's PINGREQs, one address's new connections, a push
 * stream's incoming messages. Synchronized, as several threads may share one.
 */
public final class TokenBucket {

    private static final double NANOS_PER_SECOND = 1e9;

    private double ratePerSecond;
    private double burst;
    private double tokens;
    private long refilledAt;

    public TokenBucket(double ratePerSecond, int burst, long nowNanos) {
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.tokens = burst;
        this.refilledAt = nowNanos;
    }

    public synchronized boolean tryTake(long nowNanos) {
        refill(nowNanos);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Whether the bucket has refilled to its burst: forgetting it now loses nothing. */
    public synchronized boolean isFull(long nowNanos) {
        refill(nowNanos);
        return tokens >= burst;
    }

    /** Gives back a token taken for a message that could not go further (the store was full). */
    public synchronized void refund() {
        tokens = Math.min(burst, tokens + 1);
    }

    /** How long until a token is there; 0 if one is there now. */
    public synchronized long nanosUntilToken(long nowNanos) {
        refill(nowNanos);
        return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / ratePerSecond * NANOS_PER_SECOND);
    }

    /** A reloaded configuration changes the limits without resetting what the device has used. */
    public synchronized void reconfigure(double newRatePerSecond, int newBurst) {
        this.ratePerSecond = newRatePerSecond;
        this.burst = newBurst;
        this.tokens = Math.min(tokens, newBurst);
    }

    private void refill(long nowNanos) {
        long elapsed = nowNanos - refilledAt;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed * ratePerSecond / NANOS_PER_SECOND);
            refilledAt = nowNanos;
        }
    }
}
