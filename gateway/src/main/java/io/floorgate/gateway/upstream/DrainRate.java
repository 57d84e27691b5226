package io.floorgate.gateway.upstream;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A token bucket for {@code drainMaxRate}: a backlog drains at most this fast, so a store coming back online does
 * not flood a broker that a whole fleet of stores is coming back to. The bucket holds 50 ms of messages, enough to
 * keep Paho's window full without bursts.
 *
 * <p>Thread: the forwarder's only.
 */
final class DrainRate {

    private static final double BUCKET_SECONDS = 0.05;

    private final double perNano;
    private final double capacity;
    private double tokens;
    private long lastNanos = System.nanoTime();

    DrainRate(double perSecond) {
        this.perNano = perSecond / TimeUnit.SECONDS.toNanos(1);
        this.capacity = Math.max(1, perSecond * BUCKET_SECONDS);
        this.tokens = capacity;
    }

    /** Blocks until one more message may go. */
    void acquire() {
        refill();
        while (tokens < 1) {
            LockSupport.parkNanos((long) Math.ceil((1 - tokens) / perNano));
            refill();
        }
        tokens -= 1;
    }

    private void refill() {
        long now = System.nanoTime();
        tokens = Math.min(capacity, tokens + (now - lastNanos) * perNano);
        lastNanos = now;
    }
}
