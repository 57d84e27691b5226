package io.floorgate.gateway.api;

import io.floorgate.config.StaffRole;
import io.floorgate.gateway.linking.ShopperSession;
import io.floorgate.gateway.staff.StaffSession;

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

    /**
     * A member of staff signed in, as the {@link StaffAuthenticator} found them: their session, with the role the
     * configuration in force gives the account. A stream that outlives the request checks the session again before
     * each message ({@code StaffSessions.check(session().id())}).
     */
    record Staff(StaffSession session) implements Caller {

        public String staffId() {
            return session.accountId();
        }

        public StaffRole role() {
            return session.role();
        }
    }
}
