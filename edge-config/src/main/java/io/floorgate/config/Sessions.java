package io.floorgate.config;

import java.time.Duration;
import java.util.Optional;

/**
 * Shopper sessions opened by the store's app.
 *
 * @param inactivityTimeout a session with no authenticated request for this long ends as expired; 1 m .. 7 d
 * @param rotationPeriod    how long one rotating BLE advertising id lasts; 10 s .. 1 h
 * @param systemClientToken the bearer token of the store's order system (for {@code PUT /orders}), at least 24
 *                          characters; empty: no system client may call
 */
public record Sessions(Duration inactivityTimeout, Duration rotationPeriod, Optional<String> systemClientToken) {

    /** Never print the token. */
    @Override
    public String toString() {
        return "Sessions[inactivityTimeout=" + inactivityTimeout + ", rotationPeriod=" + rotationPeriod
                + ", systemClientToken=" + (systemClientToken.isPresent() ? "(set)" : "(none)") + "]";
    }
}
