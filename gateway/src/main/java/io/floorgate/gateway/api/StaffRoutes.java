package io.floorgate.gateway.api;

import java.time.Instant;
import java.util.Locale;

import io.floorgate.config.StaffRole;
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
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Staff login for the ops page under {@code /api/v1/staff}: {@code POST /login} with {@code {id, password}},
 * {@code POST /logout}, {@code GET /me}, and for managers {@code GET /sessions} (who is logged in). The cookie and
 * CSRF rules are {@link StaffRequests}'; the lockout and the password check {@link StaffLogin}'s.
 *
 * <p>Answers: a wrong password and an unknown id both answer 401 {@code login_failed}; a locked id or address 429
 * {@code login_locked} with {@code Retry-After}, the same whether the id exists or not; too many checks waiting 503
 * {@code login_busy}. A request without a valid session answers 401 {@code staff_login_required}; a state change
 * without the CSRF token 403 {@code csrf_token_invalid}; a role below the route's 403 {@code role_forbidden}.
 *
 * <p>Login itself needs no session or CSRF token, but only a JSON body is read: a form on another site cannot send
 * {@code application/json} without a CORS preflight, which this gateway never grants, so no other site can log a
 * browser in to an account of its choosing.
 *
 * <p>Threads: event loops; the password check runs on the login workers and answers here.
 */
public final class StaffRoutes {

    /** The store file's rule for staff ids is 1 to 64 characters; a longer one cannot name an account. */
    private static final int MAX_ID_LENGTH = 64;

    private final StaffLogin login;
    private final StaffSessions sessions;
    private final StaffRequests requests;

    public StaffRoutes(StaffLogin login, StaffSessions sessions, StaffRequests requests) {
        this.login = login;
        this.sessions = sessions;
        this.requests = requests;
    }

    /** Mount after {@link ApiRoutes#mount}, which installs the counting and the JSON errors these rely on. */
    public void mount(Router router) {
        ApiRoutes.route(router, HttpMethod.POST, "/staff/login", true).handler(this::login);
        ApiRoutes.route(router, HttpMethod.POST, "/staff/logout", false).handler(this::logout);
        ApiRoutes.route(router, HttpMethod.GET, "/staff/me", false).handler(this::me);
        ApiRoutes.route(router, HttpMethod.GET, "/staff/sessions", false).handler(this::list);
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
            ApiRoutes.json(ctx, 200, me(in.session()));
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
        StaffSession session = signedIn(ctx, StaffRole.ASSOCIATE);
        sessions.close(session.id());
        ctx.response().addCookie(requests.clearedCookie()).setStatusCode(204).end();
    }

    private void me(RoutingContext ctx) {
        ApiRoutes.json(ctx, 200, me(signedIn(ctx, StaffRole.ASSOCIATE)));
    }

    private void list(RoutingContext ctx) {
        signedIn(ctx, StaffRole.MANAGER);
        JsonArray open = new JsonArray();
        sessions.list().forEach(s -> open.add(new JsonObject().put("id", s.accountId())
                .put("role", roleName(s.role()))
                .put("loggedInAt", Instant.ofEpochMilli(s.loggedInAtMs()).toString())
                .put("lastUsedAt", Instant.ofEpochMilli(s.lastUsedAtMs()).toString())));
        ApiRoutes.json(ctx, 200, new JsonObject().put("sessions", open));
    }

    private static JsonObject me(StaffSession session) {
        return new JsonObject().put("id", session.accountId()).put("role", roleName(session.role()))
                .put("csrfToken", session.csrfToken());
    }

    /** The session the request is signed in with, when its role includes {@code needed}; refused otherwise. */
    private StaffSession signedIn(RoutingContext ctx, StaffRole needed) {
        StaffCheck check = requests.check(ctx.request());
        if (check instanceof StaffCheck.SignedIn in) {
            if (!in.session().role().includes(needed)) {
                throw new ApiError(403, "role_forbidden", "this needs the " + roleName(needed) + " role or above; "
                        + in.session().accountId() + " is " + roleName(in.session().role()));
            }
            return in.session();
        }
        throw refusal(check);
    }

    /** The answer to a request whose staff check did not pass. */
    static ApiError refusal(StaffCheck check) {
        if (check instanceof StaffCheck.CsrfTokenMissing) {
            return new ApiError(403, "csrf_token_invalid", "a state change needs the " + StaffRequests.CSRF_HEADER
                    + " header with the token that login and GET /api/v1/staff/me return");
        }
        if (check instanceof StaffCheck.ForeignOrigin) {
            return new ApiError(403, "origin_refused", "a staff stream opens only from this gateway's own pages");
        }
        return new ApiError(401, "staff_login_required", "log in first: POST /api/v1/staff/login");
    }

    static String roleName(StaffRole role) {
        return role.name().toLowerCase(Locale.ROOT);
    }
}
