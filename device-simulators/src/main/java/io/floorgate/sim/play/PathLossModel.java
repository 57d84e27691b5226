package io.floorgate.sim.play;

import java.util.OptionalInt;
import java.util.random.RandomGenerator;

/**
 * What a BLE receiver hears of one advertisement: the log-distance path-loss model with
 * log-normal shadowing, plus a fixed chance that the advertisement is missed altogether
 * (collisions, the receiver scanning another channel).
 *
 * @param txPowerAt1mDbm   received power at the 1 m reference distance, dBm
 * @param exponent         path-loss exponent; 2 is free space, 2.2 a shop floor with shelves
 * @param shadowingSigmaDb standard deviation of the Gaussian shadowing term, dB
 * @param missRate         probability an advertisement is not received at all
 * @param sensitivityDbm   weakest signal the receiver still decodes
 */
public record PathLossModel(double txPowerAt1mDbm, double exponent, double shadowingSigmaDb, double missRate,
                            double sensitivityDbm) {

    /** A phone heard by a store receiver: -59 dBm at 1 m, exponent 2.2, sigma 5 dB, 15 % missed, -100 dBm floor. */
    public static final PathLossModel SHOP_FLOOR = new PathLossModel(-59, 2.2, 5, 0.15, -100);

    /** Below this distance the far-field model no longer holds; a phone held against a receiver is still about -59 dBm. */
    private static final double MIN_DISTANCE_M = 0.1;
    /** The range of Sighting.rssi_dbm in the device contract. */
    private static final int MIN_RSSI_DBM = -127;

    /** The expected RSSI at a distance, before shadowing. */
    public double meanRssiDbm(double distanceM) {
        return txPowerAt1mDbm - 10 * exponent * Math.log10(Math.max(distanceM, MIN_DISTANCE_M));
    }

    /**
     * One advertisement at a distance: the RSSI heard, or empty when it was missed or too weak.
     * Always draws the same number of random values, so that whether one advertisement is heard
     * does not shift the random stream of everything simulated after it.
     */
    public OptionalInt hear(double distanceM, RandomGenerator rng) {
        boolean missed = rng.nextDouble() < missRate;
        double rssi = meanRssiDbm(distanceM) + rng.nextGaussian() * shadowingSigmaDb;
        if (missed || rssi < sensitivityDbm) {
            return OptionalInt.empty();
        }
        return OptionalInt.of((int) Math.round(Math.min(0, Math.max(MIN_RSSI_DBM, rssi))));
    }

    /** The distance beyond which even a +4 sigma shadowing draw stays below the sensitivity: no need to draw. */
    public double maxAudibleDistanceM() {
        return Math.pow(10, (txPowerAt1mDbm + 4 * shadowingSigmaDb - sensitivityDbm) / (10 * exponent));
    }
}
