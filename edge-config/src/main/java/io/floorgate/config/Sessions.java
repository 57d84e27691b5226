package io.floorgate.config;

import java.time.Duration;
import java.util.Optional;

/**
 * Shopper sessions opened by the store's app.
 *
 * @param inactivityTimeout   a session with no authenticated request for this long ends as expired; 1 m .. 7 d
 * @param rotationPeriod      how long one rotating BLE advertising id lasts; 10 s .. 1 h
 * @param systemClientToken   the bearer token of the store's order system (for {@code PUT /orders}), at least 24
 *                            characters; empty: no system client may call
 * @param onLocationWithdrawn what becomes of a session's stored zone visits when the shopper withdraws location
 *                            consent during the session
 */
public record Sessions(Duration inactivityTimeout, Duration rotationPeriod, Optional<String> systemClientToken,
                       LocationWithdrawal onLocationWithdrawn) {

    /** Deleting is the default: nothing is kept that the shopper no longer agrees to. */
    public static final LocationWithdrawal DEFAULT_ON_LOCATION_WITHDRAWN = LocationWithdrawal.DELETE;

    /** The store's policy for the zone visits of a shopper who withdraws location consent. */
    public enum LocationWithdrawal {
        /** The session's zone visits are deleted. */
        DELETE,
        /**
         * The session's zone visits are kept for the store's footfall figures under a random id of their own, which
         * links them to no session, app or customer.
         */
        ANONYMIZE
    }

    /** With the default policy for withdrawn location consent. */
    public Sessions(Duration inactivityTimeout, Duration rotationPeriod, Optional<String> systemClientToken) {
        this(inactivityTimeout, rotationPeriod, systemClientToken, DEFAULT_ON_LOCATION_WITHDRAWN);
    }

    /** Never print the token. */
    @Override
    public String toString() {
        return "Sessions[inactivityTimeout=" + inactivityTimeout + ", rotationPeriod=" + rotationPeriod
                + ", systemClientToken=" + (systemClientToken.isPresent() ? "(set)" : "(none)")
                + ", onLocationWithdrawn=" + onLocationWithdrawn + "]";
    }
}
