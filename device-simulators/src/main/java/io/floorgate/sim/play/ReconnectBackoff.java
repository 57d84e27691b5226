package io.floorgate.sim.play;

import java.util.random.RandomGenerator;

/**
 * How long a device waits before its next connection attempt after losing the gateway: doubling from
 * {@link #BASE_MS} up to {@link #MAX_MS}, with half of each wait drawn at random, so that a store's devices cut off
 * together (a gateway restart) do not all come back in the same instant.
 */
final class ReconnectBackoff {

    static final long BASE_MS = 500;
    static final long MAX_MS = 30_000;

    private ReconnectBackoff() {
    }

    /** @param attempt 0 for the first attempt after the loss */
    static long delayMs(int attempt, RandomGenerator rng) {
        long ceiling = attempt >= Long.numberOfLeadingZeros(BASE_MS) - 1 ? MAX_MS
                : Math.min(MAX_MS, BASE_MS << attempt);
        long half = ceiling / 2;
        return half + rng.nextLong(half + 1);
    }
}
