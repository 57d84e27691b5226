package io.floorgate.gateway.api;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

import io.floorgate.config.StaffRole;
import io.floorgate.gateway.api.ApiRouter.Body;
import io.floorgate.gateway.staff.LoginResult;
import io.floorgate.gateway.staff.PasswordHasher;
import io.floorgate.gateway.staff.StaffCheck;
import io.floorgate.gateway.staff.StaffLogin;
import io.floorgate.gateway.staff.StaffRequests;
import io.floorgate.gateway.staff.StaffSession;
import io.floorgate.gateway.staff.StaffSessions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Staff login for the ops page under {@code /api/v1/staff}: {@code POST /login} with {@code {id, password}},
 * {@code POST /logout}, {@code GET /me}, and for managers {@code GET /sessions} (who is logged in); and the
 * {@link #authenticator()} that signs staff in on every route whose {@link Admission} admits them. The cookie and
 * CSRF rules are {@link StaffRequests}'; the lockout and the password check {@link StaffLogin}'s.
 *
 * <p>Answers: a wrong password and an unknown id both answer 401 {@code login_failed}; a locked id or address 429
 * {@code login_locked} with {@code Retry-After}, the same whether the id exists or not; too many checks waiting 503
 * {@code login_busy}. On routes for staff, a request without a valid session answers 401 (the {@link Authorizer}'s);
 * a state change without the session's CSRF token 403 {@code csrf_token_invalid}; a staff stream opened from a page
 * of another origin 403 {@code origin_refused}; a role below the route's 403 {@code role_forbidden}.
 *
 * <p>Login itself needs no session or CSRF token, but reads only a JSON body: a form on another site cannot send
 * {@code application/json} without a CORS preflight, which this gateway never grants, so no other site can log a
 * browser in to an account of its choosing.
 *
 * <p>Threads: event loops; the password check runs on the login workers and answers here.
 */
public final class StaffRoutes {

    /** The store file's rule for staff ids is 1 to 64 characters; a longer one cannot name an account. */
    private static final int MAX_ID_LENGTH = 64;

    private final StaffLogin login;
    private final StaffRequests requests;
    private final StaffSessions sessions;

    public StaffRoutes(StaffLogin login, StaffRequests requests, StaffSessions sessions) {
        this.login = login;
        this.requests = requests;
        this.sessions = sessions;
    }

    public void mount(ApiRouter api) {
        api.route(HttpMethod.POST, "/staff/login", Admission.anyone(), Body.JSON).handler(this::login);
        api.route(HttpMethod.POST, "/staff/logout", Admission.staff(StaffRole.ASSOCIATE), Body.NONE)
                .handler(this::logout);
        api.route(HttpMethod.GET, "/staff/me", Admission.staff(StaffRole.ASSOCIATE), Body.NONE).handler(this::me);
        api.route(HttpMethod.GET, "/staff/sessions", Admission.staff(StaffRole.MANAGER), Body.NONE)
                .handler(this::list);
    }

    /**
     * Signs in the request's staff session cookie: empty without a valid session; refuses (403) a state change
     * without its CSRF token and a WebSocket from another origin.
     */
    public StaffAuthenticator authenticator() {
        return request -> {
            StaffCheck check = requests.check(request);
            if (check instanceof StaffCheck.SignedIn in) {
                return Optional.of(new Caller.Staff(in.session()));
            }
            if (check instanceof StaffCheck.CsrfTokenMissing) {
                throw new ApiError(403, "csrf_token_invalid", "a state change needs the " + StaffRequests.CSRF_HEADER
                        + " header with the token that login and GET /api/v1/staff/me return");
            }
            if (check instanceof StaffCheck.ForeignOrigin) {
                throw new ApiError(403, "origin_refused", "a staff stream opens only from this gateway's own pages");
            }
            return Optional.empty();
        };
    }

    private void login(RoutingContext ctx) {
        JsonBody body = JsonBody.parse(ctx.body().buffer());
        String id = body.requiredText("id", MAX_ID_LENGTH);
        String password = body.requiredText("password", PasswordHasher.MAX_PASSWORD_LENGTH);
        String address = ctx.request().remoteAddress().hostAddress();
        login.login(id, password, address).onSuccess(result -> answer(ctx, result)).onFailure(ctx::fail);
    }

    private void answer(RoutingContext ctx, LoginResult result) {
        if (result instanceof LoginResult.LoggedIn in) {
            // A browser that logs in again leaves no older session of its own behind.
            StaffRequests.sessionId(ctx.request()).ifPresent(sessions::close);
            ctx.response().addCookie(requests.cookie(in.session()));
            ApiRouter.json(ctx, 200, me(in.session()));
        } else if (result instanceof LoginResult.Locked locked) {
            // The seconds rounded up: a client that waits exactly that long is let in.
            long seconds = Math.max(1, (locked.retryAfter().toMillis() + 999) / 1000);
            ctx.response().putHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
            ctx.fail(new ApiError(429, "login_locked",
                    "too many failed logins for this id or from this address; try again later"));
        } else if (result instanceof LoginResult.Busy) {
            ctx.fail(new ApiError(503, "login_busy",
                    "too many logins are being checked at once; try again in a few seconds"));
        } else {
            ctx.fail(new ApiError(401, "login_failed", "wrong staff id or password"));
        }
    }

    private void logout(RoutingContext ctx) {
        sessions.close(staff(ctx).id());
        ctx.response().addCookie(requests.clearedCookie()).setStatusCode(204).end();
    }

    private void me(RoutingContext ctx) {
        ApiRouter.json(ctx, 200, me(staff(ctx)));
    }

    private void list(RoutingContext ctx) {
        JsonArray open = new JsonArray();
        sessions.list().forEach(s -> open.add(new JsonObject().put("id", s.accountId())
                .put("role", roleName(s.role()))
                .put("loggedInAt", Instant.ofEpochMilli(s.loggedInAtMs()).toString())
                .put("lastUsedAt", Instant.ofEpochMilli(s.lastUsedAtMs()).toString())));
        ApiRouter.json(ctx, 200, new JsonObject().put("sessions", open));
    }

    private static StaffSession staff(RoutingContext ctx) {
        return ((Caller.Staff) ApiRouter.caller(ctx)).session();
    }

    private static JsonObject me(StaffSession session) {
        return new JsonObject().put("id", session.accountId()).put("role", roleName(session.role()))
                .put("csrfToken", session.csrfToken());
    }

    private static String roleName(StaffRole role) {
        return role.name().toLowerCase(Locale.ROOT);
    }
}
