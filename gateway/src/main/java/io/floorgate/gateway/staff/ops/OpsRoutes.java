package io.floorgate.gateway.staff.ops;

import java.net.URI;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;

import io.floorgate.gateway.api.ApiError;
import io.floorgate.gateway.api.PickupRoutes;
import io.floorgate.gateway.pickup.Order;
import io.floorgate.gateway.pickup.PickupStage;
import io.floorgate.gateway.store.Database;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The ops page: its files under {@value #PAGE} (served from the jar, chart library from its WebJar), its live stream
 * and the staff calls it makes under {@value #API}. Every call and the stream check the staff session and role
 * here, on the server: the page hiding a button is a convenience, not the check.
 *
 * <p>Threads: handlers run on event loops and answer from the read views or through futures; the analytics
 * queries run on a worker.
 */
public final class OpsRoutes {

    public static final String PAGE = "/ops";
    static final String API = "/api/v1/staff";
    /** Where the WebJars' files are served from, so the page imports the chart library by a stable path. */
    static final String LIBRARIES = PAGE + "/lib";

    private final Vertx vertx;
    private final OpsSources sources;
    private final StaffGate gate;
    private final PickupStage pickup;
    private final OpsControl control;
    private final OpsFeed feed;
    private final OpsAnalytics analytics;

    public OpsRoutes(Vertx vertx, OpsSources sources, StaffGate gate, PickupStage pickup, OpsControl control,
                     Database database, MeterRegistry metrics) {
        this.vertx = vertx;
        this.sources = sources;
        this.gate = gate;
        this.pickup = pickup;
        this.control = control;
        this.feed = new OpsFeed(vertx, sources, gate, System::currentTimeMillis, metrics);
        this.analytics = new OpsAnalytics(database, ZoneId.systemDefault());
    }

    /** Mount after the API's routes, whose failure handler answers the JSON errors thrown here. */
    public void mount(Router router) {
        // Vert.x matches "/ops" for "/ops/" too; only the bare path moves, so that the page's relative URLs resolve.
        router.route(HttpMethod.GET, PAGE).handler(ctx -> {
            if (ctx.request().path().equals(PAGE)) {
                ctx.redirect(PAGE + "/");
            } else {
                ctx.next();
            }
        });
        router.route(LIBRARIES + "/*").handler(StaticHandler.create("META-INF/resources/webjars")
                .setMaxAgeSeconds(24 * 3600));
        router.route(PAGE + "/*").handler(StaticHandler.create("ops").setCachingEnabled(false));

        router.get(API + "/ops-stream").handler(this::stream);
        router.get(API + "/analytics/traffic").handler(ctx -> analytics(ctx, now -> analytics.traffic(now)));
        router.get(API + "/analytics/dwell").handler(ctx -> analytics(ctx, now -> analytics.dwell(now)));
        router.get(API + "/analytics/pickup-waits").handler(ctx -> analytics(ctx, now -> analytics.pickupWaits(now,
                sources.config().get().pickup().serviceLevel().toSeconds())));
        router.get(API + "/analytics/feedback").handler(ctx -> analytics(ctx, now -> analytics.feedback(now)));

        router.post(API + "/orders/:orderId/coming").handler(ctx -> order(ctx, pickup::staffComing));
        router.post(API + "/orders/:orderId/handoff").handler(ctx -> order(ctx, pickup::handOffByStaff));
        router.post(API + "/alerts/:alertId/ack").handler(this::acknowledge);
        router.post(API + "/devices/:deviceId/identify").handler(ctx -> device(ctx, control::identify));
        router.post(API + "/devices/:deviceId/reboot").handler(ctx -> device(ctx, control::reboot));
        router.post(API + "/config/reload").handler(ctx -> {
            require(ctx, StaffRole.ADMIN, true);
            result(ctx, control.reloadConfiguration());
        });
    }

    /** Starts the stream's ticks; the routes answer before this, the stream sends nothing until it. */
    public void start() {
        feed.start();
    }

    public void stop() {
        feed.stop();
    }

    /** The page's one WebSocket: authenticated by the staff cookie, from a page of this gateway's own origin. */
    private void stream(RoutingContext ctx) {
        StaffMember member = require(ctx, StaffRole.ASSOCIATE, false);
        if (!"websocket".equalsIgnoreCase(ctx.request().getHeader(HttpHeaders.UPGRADE))) {
            throw new ApiError(400, "invalid_request",
                    "this is a WebSocket stream: send an Upgrade: websocket request");
        }
        // Browsers send the cookie with a cross-site WebSocket too, unless SameSite stops it: check the origin.
        String origin = ctx.request().getHeader(HttpHeaders.ORIGIN);
        if (origin != null && !sameHost(origin, ctx.request().getHeader(HttpHeaders.HOST))) {
            throw new ApiError(403, "origin_refused", "the ops stream is open to the gateway's own page only");
        }
        if (feed.pageCount() >= OpsFeed.MAX_PAGES) {
            throw new ApiError(503, "too_many_pages", "at most " + OpsFeed.MAX_PAGES + " ops pages may be open");
        }
        String cookie = ctx.request().getCookie(StaffGate.COOKIE).getValue();
        ctx.request().toWebSocket().onSuccess(socket -> {
            // The page only listens; what it sends is ignored rather than buffered.
            socket.handler(ignored -> { });
            socket.writeTextMessage(new JsonObject().put("type", "hello").put("staff", new JsonObject()
                    .put("id", member.id()).put("role", member.role().name().toLowerCase(Locale.ROOT))).encode());
            if (!feed.add(socket, cookie)) {
                socket.close((short) 1013, "too many ops pages");
            }
        });
    }

    private static boolean sameHost(String origin, String host) {
        try {
            URI uri = URI.create(origin);
            String authority = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
            return authority != null && authority.equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @FunctionalInterface
    private interface Query {
        JsonObject at(long nowMs) throws Exception;
    }

    private void analytics(RoutingContext ctx, Query query) {
        require(ctx, StaffRole.MANAGER, false);
        long now = System.currentTimeMillis();
        Callable<JsonObject> blocking = () -> query.at(now);
        vertx.executeBlocking(blocking, false).onSuccess(json -> json(ctx, json)).onFailure(ctx::fail);
    }

    private void order(RoutingContext ctx, Function<String, Future<Order>> step) {
        require(ctx, StaffRole.ASSOCIATE, true);
        step.apply(ctx.pathParam("orderId")).onSuccess(order -> json(ctx, PickupRoutes.orderJson(order)))
                .onFailure(e -> ctx.fail(PickupRoutes.refusal(e)));
    }

    private void acknowledge(RoutingContext ctx) {
        StaffMember member = require(ctx, StaffRole.ASSOCIATE, true);
        sources.alerts().acknowledge(ctx.pathParam("alertId"), member.id())
                .onSuccess(alert -> json(ctx, new JsonObject().put("id", alert.id())
                        .put("ackBy", alert.acknowledgedBy().orElse(null))
                        .put("ackAt", alert.acknowledgedAtMs().orElse(0))))
                .onFailure(e -> ctx.fail(e instanceof IllegalArgumentException
                        ? new ApiError(404, "alert_not_found", e.getMessage()) : e));
    }

    private void device(RoutingContext ctx, Function<String, Future<String>> command) {
        require(ctx, StaffRole.ADMIN, true);
        String deviceId = ctx.pathParam("deviceId");
        if (sources.config().get().device(deviceId).isEmpty()) {
            throw new ApiError(404, "device_not_found", "no device " + deviceId + " in this store");
        }
        result(ctx, command.apply(deviceId));
    }

    /** 200 with the result line, or 502 with what went wrong: the device or the file answered, not the gateway. */
    private static void result(RoutingContext ctx, Future<String> outcome) {
        outcome.onComplete(ar -> {
            ctx.response().setStatusCode(ar.succeeded() ? 200 : 502);
            json(ctx, new JsonObject().put("ok", ar.succeeded())
                    .put("result", ar.succeeded() ? ar.result() : String.valueOf(ar.cause().getMessage())));
        });
    }

    /**
     * The caller's staff session, when it holds at least {@code role}; on a state change also its CSRF token.
     * 401 without a session, 403 for a lesser role or a missing token.
     */
    private StaffMember require(RoutingContext ctx, StaffRole role, boolean stateChange) {
        Cookie cookie = ctx.request().getCookie(StaffGate.COOKIE);
        Optional<StaffMember> member = cookie == null ? Optional.empty() : gate.member(cookie.getValue());
        if (member.isEmpty()) {
            throw new ApiError(401, "unauthorized", "log in as staff first: POST " + API + "/login");
        }
        if (stateChange && !gate.csrfMatches(cookie.getValue(), ctx.request().getHeader(StaffGate.CSRF_HEADER))) {
            throw new ApiError(403, "csrf_token_invalid", "send the session's CSRF token as " + StaffGate.CSRF_HEADER);
        }
        if (!member.get().role().atLeast(role)) {
            throw new ApiError(403, "forbidden", "this needs the " + role.name().toLowerCase(Locale.ROOT) + " role or above");
        }
        return member.get();
    }

    private static void json(RoutingContext ctx, JsonObject body) {
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.encode());
    }
}
