package io.floorgate.gateway.api;

import java.util.Optional;

import io.vertx.core.http.HttpServerRequest;

/**
 * The hook through which staff sign-in reaches the API: finds the member of staff a request is signed in as (by
 * its session cookie), for every route whose {@link Admission} admits staff. The {@link Authorizer} then checks the
 * role the route needs and answers 403 to a role below it; routes never look at cookies themselves.
 *
 * <p>Threads: called on the event loop, before the request's body is read; must not block (look the session up in
 * memory). An implementation that guards state changes against cross-site requests checks them here too (the
 * request's method and headers are all there), answering empty for one that fails.
 */
@FunctionalInterface
public interface StaffAuthenticator {

    /** Until staff sign-in exists: no request is signed in, so routes for staff admit only their other callers. */
    StaffAuthenticator NONE = request -> Optional.empty();

    /** Empty when the request carries no staff session that holds now. */
    Optional<Caller.Staff> authenticate(HttpServerRequest request);
}
