package io.floorgate.sim.play;

import java.time.Duration;

/**
 * A shopper's open session at the gateway, as the check-in answered it.
 *
 * @param shopperId       the simulated shopper
 * @param sessionId       the gateway's session id
 * @param token           the bearer token
 * @param key             the advertising key
 * @param rotationPeriod  how long one advertised id lasts
 * @param locationConsent whether the shopper consented to be located
 */
public record AppSession(String shopperId, String sessionId, String token, byte[] key, Duration rotationPeriod,
                         boolean locationConsent) {

    public IssuedKey issuedKey() {
        return new IssuedKey(shopperId, key, rotationPeriod);
    }
}
