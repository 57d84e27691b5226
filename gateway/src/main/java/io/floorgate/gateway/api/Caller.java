package io.floorgate.gateway.api;

import io.floorgate.gateway.linking.ShopperSession;

/**
 * Who is calling a route, as the {@link Authorizer} established it before the route's handler runs. A handler reads
 * it with {@link ApiRouter#caller} and gets only the kinds its route's {@link Admission} admits.
 */
public sealed interface Caller {

    /** A route open to anyone (check-in, the OpenAPI document): nobody was asked who they are. */
    record Anyone() implements Caller {
    }

    /** A shopper's app, by its session's bearer token. */
    record Shopper(ShopperSession session) implements Caller {
    }

    /** The store's order system, by the store's {@code sessions.systemClientToken}. */
    record OrderSystem() implements Caller {
    }

    /** A member of staff signed in with a role, as the {@link StaffAuthenticator} found them. */
    record Staff(String staffId, StaffRole role) implements Caller {
    }
}
