package io.floorgate.sim.checkin;

import java.time.Duration;

/**
 * A checked-in session's advertising key, as kept in a session key file for the load generator.
 *
 * @param sessionId      the gateway's session id
 * @param key            the advertising key
 * @param rotationPeriod how long one advertised id lasts
 */
public record SessionKey(String sessionId, byte[] key, Duration rotationPeriod) {
}
