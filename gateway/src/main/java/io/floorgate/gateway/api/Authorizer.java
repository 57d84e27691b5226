package io.floorgate.gateway.api;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.floorgate.config.StaffRole;
import io.floorgate.config.StoreConfig;
import io.floorgate.gateway.linking.Authentication;
import io.floorgate.gateway.linking.SessionRegistry;
import io.floorgate.gateway.secrets.Secrets;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * Establishes who calls a route, against what the route's {@link Admission} admits, or refuses: 401 when the
 * caller did not show who they are or showed something that is not theirs, 403 for staff whose role is below the
 * route's, 404 {@code session_not_found} for a session that is not open (see {@link ApiRoutes} for why), 503 when
 * the store has no order system token configured for a route only the order system may call. Staff are found by
 * the pluggable {@link StaffAuthenticator}; shoppers by their session's bearer token; the order system by the
 * store's {@code sessions.systemClientToken}.
 *
 * <p>Order: a signed-in member of staff first (when admitted), then the bearer token (order system, then shopper).
 *
 * <p>Threads: called on the event loop, before the body is read; never blocks (sessions are in memory).
 */
public final class Authorizer {

    private static final Pattern BEARER = Pattern.compile("(?i)Bearer +([A-Za-z0-9._~+/-]+=*) *");
    private static final Caller ANYONE = new Caller.Anyone();
    private static final Caller ORDER_SYSTEM = new Caller.OrderSystem();

    private final SessionRegistry sessions;
    private final Supplier<StoreConfig> config;
    private final StaffAuthenticator staff;

    /** @param config the configuration in force (it may be reloaded): the order system's token */
    public Authorizer(SessionRegistry sessions, Supplier<StoreConfig> config, StaffAuthenticator staff) {
        this.sessions = sessions;
        this.config = config;
        this.staff = staff;
    }

    /** The caller, when the admission admits them; throws the {@link ApiError} to answer otherwise. */
    Caller admit(RoutingContext ctx, Admission admission) {
        if (admission.anyoneAdmitted()) {
            return ANYONE;
        }
        if (admission.staff().isPresent()) {
            Optional<Caller.Staff> member = staff.authenticate(ctx.request());
            if (member.isPresent()) {
                return admitted(member.get(), admission.staff().get());
            }
        }
        if (!admission.orderSystemAdmitted() && admission.shoppers() == Admission.Shoppers.NONE) {
            throw ApiError.unauthorized("sign in as staff first");
        }
        String token = bearerToken(ctx, admission.tokenInQuery());
        if (admission.orderSystemAdmitted()) {
            Optional<String> expected = config.get().sessions().systemClientToken();
            if (expected.isPresent() && Secrets.matches(token, expected.get())) {
                return ORDER_SYSTEM;
            }
            if (admission.shoppers() == Admission.Shoppers.NONE) {
                throw expected.isEmpty()
                        ? new ApiError(503, "system_client_not_configured", "this store has no"
                                + " sessions.systemClientToken configured, so no system client may call")
                        : ApiError.unauthorized("the token is not the store's system client token");
            }
        }
        return shopper(ctx, admission.shoppers(), token);
    }

    private static Caller admitted(Caller.Staff member, StaffRole needed) {
        if (!member.role().includes(needed)) {
            throw new ApiError(403, "role_forbidden", "this needs the " + needed.name().toLowerCase(Locale.ROOT)
                    + " role or above; " + member.staffId() + " is " + member.role().name().toLowerCase(Locale.ROOT));
        }
        return member;
    }

    private Caller shopper(RoutingContext ctx, Admission.Shoppers shoppers, String token) {
        switch (shoppers) {
            case SESSION_IN_PATH -> {
                Authentication result = sessions.authenticate(ctx.pathParam("sessionId"), token);
                if (result instanceof Authentication.Granted granted) {
                    return new Caller.Shopper(granted.session());
                }
                if (result instanceof Authentication.WrongToken) {
                    throw ApiError.unauthorized("the token is not this session's");
                }
                throw ApiError.sessionNotFound();
            }
            case ANY_SESSION -> {
                return sessions.authenticate(token).<Caller>map(Caller.Shopper::new)
                        .orElseThrow(() -> ApiError.unauthorized("the token belongs to no open session"));
            }
            default -> throw new IllegalStateException("a route admitting no shopper asked for one");
        }
    }

    /** {@code Authorization: Bearer}, or when admitted and no such header is sent, {@code ?token=}. */
    private static String bearerToken(RoutingContext ctx, boolean inQuery) {
        String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        String query = inQuery ? ctx.queryParams().get("token") : null;
        if (header == null && query != null && !query.isBlank()) {
            return query;
        }
        if (header == null) {
            throw ApiError.unauthorized("a bearer token is required: Authorization: Bearer <token>");
        }
        Matcher m = BEARER.matcher(header);
        if (!m.matches()) {
            throw ApiError.unauthorized("the Authorization header must be: Bearer <token>");
        }
        return m.group(1);
    }

}
