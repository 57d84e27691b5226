package io.floorgate.gateway.linking;

import java.time.Duration;
import java.util.Optional;

/**
 * A shopper's app checked in to the store.
 *
 * @param id               opaque, random, unguessable; used in API paths
 * @param appInstance      the app installation's own id, as the app sent it
 * @param customer         the customer the shopper checked in as, when they gave a reference (orders link through its
 *                         hash); never the reference itself
 * @param locationConsent  the shopper agreed to be located; without it nothing about them is computed or stored
 * @param analyticsConsent the shopper agreed to their visit counting in pseudonymized analytics
 * @param advertisingKey   the key the app derives its rotating BLE ids from (see AdvertisedIds)
 * @param rotationPeriod   how long one advertised id lasts
 * @param startedAtMs      check-in time, epoch milliseconds
 */
public record ShopperSession(String id, String appInstance, Optional<Customer> customer, boolean locationConsent,
                             boolean analyticsConsent, byte[] advertisingKey, Duration rotationPeriod,
                             long startedAtMs) {

    public boolean has(Consent consent) {
        return switch (consent) {
            case LOCATION -> locationConsent;
            case ANALYTICS -> analyticsConsent;
        };
    }

    /** The same session with {@code consent} given or withdrawn. */
    public ShopperSession with(Consent consent, boolean given) {
        return new ShopperSession(id, appInstance, customer,
                consent == Consent.LOCATION ? given : locationConsent,
                consent == Consent.ANALYTICS ? given : analyticsConsent,
                advertisingKey, rotationPeriod, startedAtMs);
    }

    /** Never print the advertising key. */
    @Override
    public String toString() {
        return "ShopperSession[id=" + id + ", locationConsent=" + locationConsent + ", analyticsConsent="
                + analyticsConsent + "]";
    }
}
