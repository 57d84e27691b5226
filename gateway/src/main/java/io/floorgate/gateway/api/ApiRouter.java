package io.floorgate.gateway.api;

import java.util.Locale;

import io.floorgate.gateway.linking.ShopperSession;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Everything under {@code /api}, and the plumbing its routes share: each route is registered with the callers it
 * admits and the body it takes ({@link #route}); the router counts every response by route template, checks the
 * media type and size of a body before reading it, authenticates through the {@link Authorizer} before the body is
 * read, and answers every refusal under {@code /api} as JSON ({@link ErrorResponses}). Requests outside
 * {@code /api} (health, metrics, pages and their files) go to another router and get Vert.x's own error answers:
 * a browser asking for a missing page gets a page, not a JSON error.
 *
 * <p>Adding routes: a routes class takes the {@code ApiRouter} in its {@code mount} and registers each route with
 * its {@link Admission}, e.g. for staff: {@code api.route(HttpMethod.GET, "/ops/queue",
 * Admission.staff(StaffRole.ASSOCIATE), Body.NONE).handler(this::queue)}; the handler reads who called with
 * {@link #caller} and answers with {@link #json} or by throwing an {@link ApiError}.
 *
 * <p>Threads: routes run on the event loop and must not block.
 */
public final class ApiRouter {

    public static final String PREFIX = "/api/v1";

    private static final String API_ROOT = "/api";
    private static final String ROUTE_LABEL = "floorgate.api.route";
    private static final String CALLER = "floorgate.api.caller";

    /** What a route reads from the request body. */
    public enum Body {
        NONE,
        /** A JSON object: a request without {@code Content-Type: application/json} is refused (415) unread. */
        JSON,
        /** Possibly empty, read whatever its type (the app may say "on my way" with no body at all). */
        OPTIONAL_JSON
    }

    private final Vertx vertx;
    private final Router router;
    private final Authorizer authorizer;
    private final ApiMetrics metrics;
    private final HttpGuard guard;

    public ApiRouter(Vertx vertx, Authorizer authorizer, MeterRegistry metrics, HttpGuard guard) {
        this.vertx = vertx;
        this.router = Router.router(vertx);
        this.authorizer = authorizer;
        this.metrics = new ApiMetrics(metrics);
        this.guard = guard;
        ErrorResponses.install(router, guard.maxBodyBytes());
        router.route(PREFIX + "/*").handler(this::countResponse).failureHandler(this::fail);
    }

    /** The HTTP listener's bounds, for the routes that open push streams. */
    public HttpGuard guard() {
        return guard;
    }

    /**
     * The HTTP server's handler: requests under {@code /api} to this router, all others to {@code others}, which
     * keeps Vert.x's error answers.
     */
    public Handler<HttpServerRequest> inFrontOf(Router others) {
        return request -> {
            String path = request.path();
            boolean api = path != null && (path.equals(API_ROOT) || path.startsWith(API_ROOT + "/"));
            (api ? router : others).handle(request);
        };
    }

    /**
     * Registers {@code method} {@code PREFIX + path} for the callers {@code admits}; add the handler to the returned
     * route. Its responses are counted under its template. The template, the media type check and the
     * authentication run on a route of their own, ahead of the returned one, because Vert.x wants a body handler
     * first on its route, and all three must come before the body is read: a stranger's body is never buffered.
     */
    public Route route(HttpMethod method, String path, Admission admits, Body body) {
        String label = method.name() + " " + PREFIX + path;
        Route first = router.route(method, PREFIX + path).handler(ctx -> {
            ctx.put(ROUTE_LABEL, label);
            ctx.next();
        });
        if (body != Body.NONE) {
            first.handler(this::bodyDeadline);
        }
        if (body == Body.JSON) {
            first.handler(ApiRouter::requireJson);
        }
        first.handler(ctx -> {
            ctx.put(CALLER, authorizer.admit(ctx, admits));
            ctx.next();
        });
        Route handling = router.route(method, PREFIX + path);
        if (body != Body.NONE) {
            handling.handler(BodyHandler.create(false).setBodyLimit(guard.maxBodyBytes()));
        }
        return handling;
    }

    /** Who called, as admitted by the route's {@link Admission}. */
    public static Caller caller(RoutingContext ctx) {
        return ctx.get(CALLER);
    }

    /** The calling shopper's session, on a route that admits only shoppers. */
    public static ShopperSession shopper(RoutingContext ctx) {
        if (caller(ctx) instanceof Caller.Shopper shopper) {
            return shopper.session();
        }
        throw new IllegalStateException("the route admits callers other than shoppers: " + caller(ctx));
    }

    /** The request's JSON object, on a route registered with a {@link Body} to read; 400 when it is not one. */
    public static JsonBody body(RoutingContext ctx) {
        return JsonBody.parse(ctx.body().buffer());
    }

    /** A JSON answer. */
    public static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, ErrorResponses.JSON)
                .end(body.encode());
    }

    private void countResponse(RoutingContext ctx) {
        ctx.addEndHandler(done -> metrics.count(ctx.get(ROUTE_LABEL, ApiMetrics.UNMATCHED),
                ctx.response().getStatusCode()));
        ctx.next();
    }

    /**
     * The body must arrive whole within the body timeout of the head: a client trickling it a byte at a time is
     * answered 408 and its connection closed, so that it cannot hold the connection (and a body buffer) for ever.
     */
    private void bodyDeadline(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (!request.isEnded()) {
            long timeoutMs = guard.bodyTimeoutMs();
            long timer = vertx.setTimer(timeoutMs, id -> {
                if (!request.isEnded() && !ctx.response().ended()) {
                    guard.refuseBody(ctx, HttpGuard.Reason.BODY_TIMEOUT, new ApiError(408, "body_timeout",
                            "the request body did not arrive within " + timeoutMs + " ms"));
                }
            });
            ctx.addEndHandler(done -> vertx.cancelTimer(timer));
        }
        ctx.next();
    }

    /** The API's failure handler: a body over the limit also closes the connection, unread; the rest as usual. */
    private void fail(RoutingContext ctx) {
        if (ctx.failure() == null && ctx.statusCode() == ErrorResponses.BODY_TOO_LARGE) {
            guard.refuseBody(ctx, HttpGuard.Reason.BODY_TOO_LARGE, ErrorResponses.bodyTooLarge(guard.maxBodyBytes()));
        } else {
            ErrorResponses.fail(ctx);
        }
    }

    /** Refuses a body that is not JSON before reading it. */
    private static void requireJson(RoutingContext ctx) {
        String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        String mediaType = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!mediaType.equals(ErrorResponses.JSON)) {
            throw ErrorResponses.unsupportedMediaType();
        }
        ctx.next();
    }
}
