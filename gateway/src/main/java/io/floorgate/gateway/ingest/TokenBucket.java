package io.floorgate.gateway.ingest;

/**
 * A device's publish allowance: {@code ratePerSecond} sustained, {@code burst} at once.
 * Shared by all of a device's connections (a reconnect does not refill it), so synchronized.
 */
final class TokenBucket {

    private static final double NANOS_PER_SECOND = 1e9;

    private double ratePerSecond;
    private double burst;
    private double tokens;
    private long refilledAt;

    TokenBucket(double ratePerSecond, int burst, long nowNanos) {
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.tokens = burst;
        this.refilledAt = nowNanos;
    }

    synchronized boolean tryTake(long nowNanos) {
        refill(nowNanos);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Gives back a token taken for a message that could not go further (the store was full). */
    synchronized void refund() {
        tokens = Math.min(burst, tokens + 1);
    }

    /** How long until a token is there; 0 if one is there now. */
    synchronized long nanosUntilToken(long nowNanos) {
        refill(nowNanos);
        return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / ratePerSecond * NANOS_PER_SECOND);
    }

    /** A reloaded configuration changes the limits without resetting what the device has used. */
    synchronized void reconfigure(double newRatePerSecond, int newBurst) {
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
