package io.floorgate.sim.play;

import java.time.Duration;

/**
 * What the gateway handed a shopper's app at check-in for BLE advertising.
 *
 * @param shopperId      the simulated shopper
 * @param key            the advertising key, 32 bytes
 * @param rotationPeriod how long one advertised id lasts
 */
public record IssuedKey(String shopperId, byte[] key, Duration rotationPeriod) {
}
