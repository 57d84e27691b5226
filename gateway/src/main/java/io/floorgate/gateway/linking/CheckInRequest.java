package io.floorgate.gateway.linking;

import java.util.Optional;

/**
 * What an app sends to open a session, already checked for form by the API.
 *
 * @param appInstance      the app installation's own id
 * @param customer         the customer computed from the reference the shopper gave, if any
 * @param locationConsent  the shopper agreed to be located
 * @param analyticsConsent the shopper agreed to pseudonymized analytics
 */
public record CheckInRequest(String appInstance, Optional<Customer> customer, boolean locationConsent,
                             boolean analyticsConsent) {
}
