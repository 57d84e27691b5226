package io.floorgate.gateway.api;

import java.util.Optional;

/**
 * Which callers a route admits, declared where the route is registered ({@link ApiRouter#route}); the
 * {@link Authorizer} enforces it before the handler runs and the body is read. Start from one kind and widen:
 * {@code Admission.orderSystem().orStaff(StaffRole.ASSOCIATE)}.
 *
 * @param anyoneAdmitted      no one is asked who they are
 * @param shoppers            which shopper sessions, by bearer token
 * @param orderSystemAdmitted the store's order system, by its token
 * @param staff               staff signed in with at least this role
 * @param tokenInQuery        the bearer token may come as {@code ?token=} when no Authorization header is sent: browsers
 *                            cannot set headers on a WebSocket
 */
public record Admission(boolean anyoneAdmitted, Shoppers shoppers, boolean orderSystemAdmitted,
                        Optional<StaffRole> staff, boolean tokenInQuery) {

    /** Which shopper sessions a route admits. */
    public enum Shoppers {
        NONE,
        /** Only the session the path names ({@code :sessionId}); another session's token is refused. */
        SESSION_IN_PATH,
        /** Any open session: the route acts for whichever shopper the token belongs to. */
        ANY_SESSION
    }

    public static Admission anyone() {
        return new Admission(true, Shoppers.NONE, false, Optional.empty(), false);
    }

    public static Admission sessionInPath() {
        return new Admission(false, Shoppers.SESSION_IN_PATH, false, Optional.empty(), false);
    }

    public static Admission anySession() {
        return new Admission(false, Shoppers.ANY_SESSION, false, Optional.empty(), false);
    }

    public static Admission orderSystem() {
        return new Admission(false, Shoppers.NONE, true, Optional.empty(), false);
    }

    public static Admission staff(StaffRole atLeast) {
        return new Admission(false, Shoppers.NONE, false, Optional.of(atLeast), false);
    }

    /** Also staff signed in with {@code atLeast} or a role above it. */
    public Admission orStaff(StaffRole atLeast) {
        return new Admission(anyoneAdmitted, shoppers, orderSystemAdmitted, Optional.of(atLeast), tokenInQuery);
    }

    public Admission withTokenInQuery() {
        return new Admission(anyoneAdmitted, shoppers, orderSystemAdmitted, staff, true);
    }
}
