package io.floorgate.sim.play;

import java.util.random.RandomGenerator;

/**
 * How long a device waits before its next connection attempt after losing the gateway: doubling from
 * {@link #BASE_MS} up to {@link #MAX_MS}, with half of each wait drawn at random, so that a store's devices cut off
 * together (a gateway restart) do not all come back in the same instant. A connection lost soon after it was made
 * does not start the doubling over, so a device pushed off again and again (another connection taking over its
 * client id) backs off instead of coming back twice a second.
 */
public final class ReconnectBackoff {

    static final long BASE_MS = 500;
    static final long MAX_MS = 30_000;
    /** A connection that lasted this long was a good one: the next loss retries from the shortest wait. */
    static final long STABLE_MS = 10_000;

    private ReconnectBackoff() {
    }

    /**
     * The attempt to wait for after a connection is lost.
     *
     * @param nextAttempt the attempt after the last one made: where the doubling stands
     * @param connectedMs how long the lost connection lasted
     */
    static int attemptAfterLoss(int nextAttempt, long connectedMs) {
        return connectedMs >= STABLE_MS ? 0 : nextAttempt;
    }

    /** @param attempt 0 for the first attempt after the loss */
    public static long delayMs(int attempt, RandomGenerator rng) {
        long ceiling = attempt >= Long.numberOfLeadingZeros(BASE_MS) - 1 ? MAX_MS
                : Math.min(MAX_MS, BASE_MS << attempt);
        long half = ceiling / 2;
        return half + rng.nextLong(half + 1);
    }
}
