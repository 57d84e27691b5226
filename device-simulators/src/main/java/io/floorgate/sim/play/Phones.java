package io.floorgate.sim.play;

import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * How the simulated phones get their advertising keys and which clock their ids follow.
 *
 * @param app                  checks shoppers in and out and issues their keys; empty: each phone draws its own
 *                             key and nobody checks in
 * @param locationConsentShare the share of shoppers who consent to be located, 0 to 1
 * @param idClock              epoch milliseconds the advertised ids follow; empty: simulated time. The gateway
 *                             resolves ids by its own wall clock, so a run against it at any speed but 1 needs
 *                             the wall clock here
 * @param pickupShare          the share of shoppers who come to collect an online order, 0 to 1
 */
public record Phones(Optional<ShopperApp> app, double locationConsentShare, Optional<LongSupplier> idClock,
                     double pickupShare) {

    public static final double DEFAULT_PICKUP_SHARE = 0.2;

    /** Local keys on simulated time: replays exactly, and the gateway cannot link anyone. */
    public static final Phones OFFLINE = new Phones(Optional.empty(), 1, Optional.empty(), DEFAULT_PICKUP_SHARE);

    public Phones(Optional<ShopperApp> app, double locationConsentShare, Optional<LongSupplier> idClock) {
        this(app, locationConsentShare, idClock, DEFAULT_PICKUP_SHARE);
    }

    public Phones {
        if (pickupShare < 0 || pickupShare > 1) {
            throw new IllegalArgumentException("pickupShare must be within 0..1, not " + pickupShare);
        }
        if (locationConsentShare < 0 || locationConsentShare > 1) {
            throw new IllegalArgumentException("locationConsentShare must be within 0..1, not " + locationConsentShare);
        }
    }
}
