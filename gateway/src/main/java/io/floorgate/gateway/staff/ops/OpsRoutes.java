package io.floorgate.gateway.staff.ops;

import java.time.ZoneId;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;

import io.floorgate.config.StaffRole;
import io.floorgate.gateway.api.Admission;
import io.floorgate.gateway.api.ApiError;
import io.floorgate.gateway.api.ApiRouter.Body;
import io.floorgate.gateway.api.ApiRouter;
import io.floorgate.gateway.api.Caller;
import io.floorgate.gateway.api.HttpGuard;
import io.floorgate.gateway.api.StaffAuthenticator;
import io.floorgate.gateway.store.Database;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The ops page: its files under {@value #PAGE} (served from the jar, the chart library from its WebJar), its live
 * stream and the staff calls only it makes, under {@code /api/v1/staff}. Each call declares the least role it
 * admits and the API's authorizer checks it (401 without a staff session, 403 below the role) before the handler
 * runs; the stream checks the role again before every message. The page hiding a part is a convenience, not the
 * check. The pickup buttons use the pickup routes ({@code /orders/:orderId/handoff} and {@code .../coming}).
 *
 * <p>Threads: handlers run on event loops and answer from the read views or through futures; the analytics
 * queries run on a worker.
 */
public final class OpsRoutes {

    public static final String PAGE = "/ops";
    /** Where the WebJars' files are served, so that the page imports the chart library by a stable path. */
    static final String LIBRARIES = PAGE + "/lib";
    private static final int LIBRARY_MAX_AGE_S = 24 * 3600;

    private final Vertx vertx;
    private final OpsSources sources;
    private final OpsControl control;
    private final OpsFeed feed;
    private final OpsAnalytics analytics;

    /** @param staff the same authenticator the API's authorizer uses, asked again for every stream message */
    public OpsRoutes(Vertx vertx, OpsSources sources, StaffAuthenticator staff, OpsControl control,
                     Database database, MeterRegistry metrics) {
        this.vertx = vertx;
        this.sources = sources;
        this.control = control;
        this.feed = new OpsFeed(vertx, sources, staff, System::currentTimeMillis, metrics);
        this.analytics = new OpsAnalytics(database, ZoneId.systemDefault());
    }

    /** The page and its files on {@code pages}; the stream and the staff calls on the API. */
    public void mount(ApiRouter api, Router pages) {
        // Vert.x matches "/ops" for "/ops/" too; only the bare path moves, so that the page's relative URLs resolve.
        pages.route(HttpMethod.GET, PAGE).handler(ctx -> {
            if (ctx.request().path().equals(PAGE)) {
                ctx.redirect(PAGE + "/");
            } else {
                ctx.next();
            }
        });
        pages.route(LIBRARIES + "/*").handler(StaticHandler.create("META-INF/resources/webjars")
                .setMaxAgeSeconds(LIBRARY_MAX_AGE_S));
        pages.route(PAGE + "/*").handler(StaticHandler.create("ops").setCachingEnabled(false));

        Admission associate = Admission.staff(StaffRole.ASSOCIATE);
        Admission manager = Admission.staff(StaffRole.MANAGER);
        Admission admin = Admission.staff(StaffRole.ADMIN);
        api.route(HttpMethod.GET, "/staff/ops-stream", associate, Body.NONE).handler(ctx -> stream(ctx, api.guard()));
        api.route(HttpMethod.GET, "/staff/analytics/traffic", manager, Body.NONE)
                .handler(ctx -> analytics(ctx, analytics::traffic));
        api.route(HttpMethod.GET, "/staff/analytics/dwell", manager, Body.NONE)
                .handler(ctx -> analytics(ctx, analytics::dwell));
        api.route(HttpMethod.GET, "/staff/analytics/pickup-waits", manager, Body.NONE)
                .handler(ctx -> analytics(ctx, now -> analytics.pickupWaits(now,
                        sources.config().get().pickup().serviceLevel().toSeconds())));
        api.route(HttpMethod.GET, "/staff/analytics/feedback", manager, Body.NONE)
                .handler(ctx -> analytics(ctx, analytics::feedback));
        api.route(HttpMethod.POST, "/staff/alerts/:alertId/ack", associate, Body.NONE).handler(this::acknowledge);
        api.route(HttpMethod.POST, "/staff/devices/:deviceId/identify", admin, Body.NONE)
                .handler(ctx -> device(ctx, control::identify));
        api.route(HttpMethod.POST, "/staff/devices/:deviceId/reboot", admin, Body.NONE)
                .handler(ctx -> device(ctx, control::reboot));
        api.route(HttpMethod.POST, "/staff/config/reload", admin, Body.NONE)
                .handler(ctx -> result(ctx, control.reloadConfiguration()));
    }

    /** Starts the stream's ticks; the stream sends nothing before. */
    public void start() {
        feed.start();
    }

    public void stop() {
        feed.stop();
    }

    /** The page's one WebSocket, opened with the staff cookie (the authorizer has checked it, and its origin). */
    private void stream(RoutingContext ctx, HttpGuard guard) {
        Caller.Staff member = (Caller.Staff) ApiRouter.caller(ctx);
        if (!"websocket".equalsIgnoreCase(ctx.request().getHeader(HttpHeaders.UPGRADE))) {
            throw new ApiError(400, "invalid_request",
                    "this is a WebSocket stream: send an Upgrade: websocket request");
        }
        if (feed.pageCount() >= OpsFeed.MAX_PAGES) {
            throw new ApiError(503, "too_many_pages", "at most " + OpsFeed.MAX_PAGES + " ops pages may be open");
        }
        ctx.request().toWebSocket().onSuccess(socket -> {
            // The page only listens; what it sends is ignored rather than buffered, up to the guard's bounds.
            guard.watch(socket);
            socket.writeTextMessage(new JsonObject().put("type", "hello").put("staff", new JsonObject()
                    .put("id", member.staffId()).put("role", member.role().name().toLowerCase(Locale.ROOT)))
                    .encode());
            if (!feed.add(socket, ctx.request())) {
                socket.close((short) 1013, "too many ops pages");
            }
        });
    }

    @FunctionalInterface
    private interface Query {
        JsonObject at(long nowMs) throws Exception;
    }

    private void analytics(RoutingContext ctx, Query query) {
        long now = System.currentTimeMillis();
        Callable<JsonObject> blocking = () -> query.at(now);
        vertx.executeBlocking(blocking, false).onSuccess(json -> ApiRouter.json(ctx, 200, json))
                .onFailure(ctx::fail);
    }

    private void acknowledge(RoutingContext ctx) {
        Caller.Staff member = (Caller.Staff) ApiRouter.caller(ctx);
        sources.alerts().acknowledge(ctx.pathParam("alertId"), member.staffId())
                .onSuccess(alert -> ApiRouter.json(ctx, 200, new JsonObject().put("id", alert.id())
                        .put("ackBy", alert.acknowledgedBy().orElse(null))
                        .put("ackAt", alert.acknowledgedAtMs().orElse(0))))
                .onFailure(e -> ctx.fail(e instanceof IllegalArgumentException
                        ? new ApiError(404, "alert_not_found", e.getMessage()) : e));
    }

    private void device(RoutingContext ctx, Function<String, Future<String>> command) {
        String deviceId = ctx.pathParam("deviceId");
        if (sources.config().get().device(deviceId).isEmpty()) {
            throw new ApiError(404, "device_not_found", "no device " + deviceId + " in this store");
        }
        result(ctx, command.apply(deviceId));
    }

    /** 200 with the result line, or 502 with what went wrong: the device or the file answered, not the gateway. */
    private static void result(RoutingContext ctx, Future<String> outcome) {
        outcome.onComplete(ar -> ApiRouter.json(ctx, ar.succeeded() ? 200 : 502, new JsonObject()
                .put("ok", ar.succeeded())
                .put("result", ar.succeeded() ? ar.result() : String.valueOf(ar.cause().getMessage()))));
    }
}
