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
 */
public record Phones(Optional<ShopperApp> app, double locationConsentShare, Optional<LongSupplier> idClock) {

    /** Local keys on simulated time: replays exactly, and the gateway cannot link anyone. */
    public static final Phones OFFLINE = new Phones(Optional.empty(), 1, Optional.empty());

    public Phones {
        if (locationConsentShare < 0 || locationConsentShare > 1) {
            throw new IllegalArgumentException("locationConsentShare must be within 0..1, not " + locationConsentShare);
        }
    }
}
