package io.floorgate.gateway.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import io.floorgate.config.StoreConfig;
import io.floorgate.gateway.linking.SessionRegistry;
import io.floorgate.gateway.linking.ShopperSession;
import io.floorgate.gateway.linking.TouchLinker;
import io.floorgate.gateway.pickup.Order;
import io.floorgate.gateway.pickup.OrderReady;
import io.floorgate.gateway.pickup.PickupRefused;
import io.floorgate.gateway.pickup.PickupStage;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The pickup part of the API under {@code /api/v1}: the order system marks orders ready, the shopper links an
 * order, says "on my way" and "I'm here", staff confirm hand-offs, and the two push streams (WebSocket).
 *
 * <p>Who may call: the order system and, until staff log in with the ops page, staff, authenticate with the
 * store's {@code sessions.systemClientToken} as a bearer token, compared in constant time; a store without one
 * configured answers 503 {@code system_client_not_configured} (the gateway is not set up for it: no token the
 * caller could send would help). Shoppers authenticate with their session's token. Browsers cannot set headers on
 * a WebSocket, so the streams also take the token as {@code ?token=}.
 *
 * <p>Threads: handlers run on the event loop; order state is the pickup stage's, asked through futures that
 * answer once the step is committed.
 */
public final class PickupRoutes {

    private static final int MAX_ORDER_ID_LENGTH = 128;
    private static final int MAX_CUSTOMER_REF_LENGTH = 128;
    private static final int MAX_POINT_ID_LENGTH = 64;
    /** As the kiosk's PickupCheckIn allows (proto: 1..64 characters). */
    private static final int MAX_CODE_LENGTH = 64;
    /** A day: anything longer is not "on my way". */
    private static final int MAX_ETA_MINUTES = 24 * 60;
    private static final Pattern ORDER_ID = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_ORDER_ID_LENGTH + "}");

    private final SessionRegistry sessions;
    private final PickupStage pickup;
    private final Supplier<StoreConfig> config;
    private final PushStreams streams;

    /** @param touches tells the shopper's stream of kiosk scans */
    public PickupRoutes(SessionRegistry sessions, PickupStage pickup, TouchLinker touches,
                        Supplier<StoreConfig> config, MeterRegistry metrics) {
        this.sessions = sessions;
        this.pickup = pickup;
        this.config = config;
        this.streams = new PushStreams(metrics);
        pickup.subscribe(streams);
        sessions.subscribe(streams);
        touches.subscribe(streams);
    }

    /** Mount after {@link ApiRoutes#mount}, which installs the counting and the JSON errors these rely on. */
    public void mount(Router router) {
        ApiRoutes.route(router, HttpMethod.PUT, "/orders/:orderId", true).handler(this::putOrder);
        ApiRoutes.route(router, HttpMethod.POST, "/orders/:orderId/handoff", false).handler(this::handOff);
        ApiRoutes.route(router, HttpMethod.POST, "/sessions/:sessionId/orders/:orderId", false).handler(this::link);
        ApiRoutes.route(router, HttpMethod.POST, "/sessions/:sessionId/orders/:orderId/on-my-way", false)
                .handler(BodyHandler.create(false).setBodyLimit(ApiRoutes.MAX_BODY_BYTES)).handler(this::onMyWay);
        ApiRoutes.route(router, HttpMethod.POST, "/sessions/:sessionId/orders/:orderId/arrived", false)
                .handler(this::arrived);
        ApiRoutes.route(router, HttpMethod.GET, "/sessions/:sessionId/stream", false).handler(this::shopperStream);
        ApiRoutes.route(router, HttpMethod.GET, "/staff/stream", false).handler(this::staffStream);
    }

    private void putOrder(RoutingContext ctx) {
        requireSystemClient(ApiRoutes.bearerToken(ctx));
        String orderId = orderId(ctx);
        JsonBody body = JsonBody.parse(ctx.body().buffer());
        String status = body.requiredText("status", MAX_POINT_ID_LENGTH);
        if (!status.equals("READY")) {
            throw ApiError.invalidRequest("status must be READY: the order system only says when an order is ready");
        }
        OrderReady ready = new OrderReady(orderId, body.requiredText("customerRef", MAX_CUSTOMER_REF_LENGTH),
                body.requiredText("pickupPointId", MAX_POINT_ID_LENGTH), body.requiredText("code", MAX_CODE_LENGTH));
        pickup.markReady(ready).onSuccess(outcome -> ApiRoutes.json(ctx, outcome.created() ? 201 : 200,
                orderJson(outcome.order()))).onFailure(e -> ctx.fail(refusal(e)));
    }

    private void handOff(RoutingContext ctx) {
        requireSystemClient(ApiRoutes.bearerToken(ctx));
        answer(ctx, pickup.handOffByStaff(orderId(ctx)));
    }

    private void link(RoutingContext ctx) {
        ShopperSession session = shopper(ctx, ApiRoutes.bearerToken(ctx));
        answer(ctx, pickup.link(session, orderId(ctx)));
    }

    private void onMyWay(RoutingContext ctx) {
        ShopperSession session = shopper(ctx, ApiRoutes.bearerToken(ctx));
        OptionalInt eta = ctx.body().length() > 0
                ? JsonBody.parse(ctx.body().buffer()).optionalInt("etaMinutes", 0, MAX_ETA_MINUTES)
                : OptionalInt.empty();
        answer(ctx, pickup.onMyWay(session, orderId(ctx), eta));
    }

    private void arrived(RoutingContext ctx) {
        ShopperSession session = shopper(ctx, ApiRoutes.bearerToken(ctx));
        answer(ctx, pickup.arrivedByApp(session, orderId(ctx)));
    }

    private void shopperStream(RoutingContext ctx) {
        ShopperSession session = shopper(ctx, streamToken(ctx));
        upgrade(ctx, false).onSuccess(connection -> {
            streams.addShopper(session, connection);
            connection.push(new JsonObject().put("type", "hello").put("sessionId", session.id()));
            // Orders made ready before the stream opened are told now, so the app need not ask.
            session.customerRef().ifPresent(ref -> pickup.openOrdersOf(ref).onSuccess(orders ->
                    orders.forEach(o -> connection.push(PushStreams.message("order_ready", o)))));
        });
    }

    private void staffStream(RoutingContext ctx) {
        requireSystemClient(streamToken(ctx));
        upgrade(ctx, true).onSuccess(connection -> {
            streams.addStaff(connection);
            connection.push(new JsonObject().put("type", "hello").put("stream", "staff"));
        });
    }

    /** Answers 101 and registers the socket; a request that is not a WebSocket upgrade gets a JSON 400. */
    private Future<PushConnection> upgrade(RoutingContext ctx, boolean forStaff) {
        if (!"websocket".equalsIgnoreCase(ctx.request().getHeader("Upgrade"))) {
            throw ApiError.invalidRequest("this is a WebSocket stream: send an Upgrade: websocket request");
        }
        return ctx.request().toWebSocket().map(socket -> {
            PushConnection connection = new PushConnection(socket, Vertx.currentContext(),
                    streams.droppedCounter(forStaff));
            socket.closeHandler(v -> streams.remove(connection));
            // Clients only listen; whatever they send is ignored rather than buffered.
            socket.handler(ignored -> { });
            return connection;
        }).onFailure(e -> ctx.fail(ApiError.invalidRequest("the WebSocket upgrade failed: " + e.getMessage())));
    }

    private ShopperSession shopper(RoutingContext ctx, String token) {
        return ApiRoutes.authenticated(sessions, ctx, token);
    }

    /** {@code Authorization: Bearer} when present, else {@code ?token=} (browsers cannot set WebSocket headers). */
    private static String streamToken(RoutingContext ctx) {
        String query = ctx.queryParams().get("token");
        if (ctx.request().getHeader("Authorization") == null && query != null && !query.isBlank()) {
            return query;
        }
        return ApiRoutes.bearerToken(ctx);
    }

    private void requireSystemClient(String token) {
        Optional<String> expected = config.get().sessions().systemClientToken();
        if (expected.isEmpty()) {
            throw new ApiError(503, "system_client_not_configured",
                    "this store has no sessions.systemClientToken configured, so no system client may call");
        }
        // Hashes of equal length compared in constant time: neither the content nor the length leaks.
        if (!MessageDigest.isEqual(sha256(token), sha256(expected.get()))) {
            throw ApiError.unauthorized("the token is not the store's system client token");
        }
    }

    private static String orderId(RoutingContext ctx) {
        String id = ctx.pathParam("orderId");
        if (id == null || !ORDER_ID.matcher(id).matches()) {
            throw ApiError.invalidRequest("the order id must be 1 to " + MAX_ORDER_ID_LENGTH
                    + " letters, digits or . _ : -");
        }
        return id;
    }

    private static void answer(RoutingContext ctx, Future<Order> step) {
        step.onSuccess(order -> ApiRoutes.json(ctx, 200, orderJson(order))).onFailure(e -> ctx.fail(refusal(e)));
    }

    public static JsonObject orderJson(Order order) {
        JsonObject json = new JsonObject().put("orderId", order.id()).put("state", order.state().name())
                .put("pickupPointId", order.pickupPointId()).put("customerRef", order.customerRef())
                .put("code", order.code()).put("readyAt", Instant.ofEpochMilli(order.readyAtMs()).toString());
        putTime(json, "onTheWayAt", order.onTheWayAtMs());
        putTime(json, "arrivedAt", order.arrivedAtMs());
        putTime(json, "handedOffAt", order.handedOffAtMs());
        order.etaMinutes().ifPresent(eta -> json.put("etaMinutes", eta));
        order.sessionId().ifPresent(id -> json.put("linked", true));
        return json;
    }

    private static void putTime(JsonObject json, String field, OptionalLong epochMs) {
        epochMs.ifPresent(ms -> json.put(field, Instant.ofEpochMilli(ms).toString()));
    }

    /** A refused pickup step as its API error; anything else is left for the 500 path. */
    public static Throwable refusal(Throwable failure) {
        if (failure instanceof PickupRefused refused) {
            return switch (refused.reason()) {
                case UNKNOWN_ORDER -> new ApiError(404, "order_not_found", refused.getMessage());
                case UNKNOWN_PICKUP_POINT -> new ApiError(400, "unknown_pickup_point", refused.getMessage());
                case NOT_YOUR_ORDER -> new ApiError(403, "not_your_order", refused.getMessage());
                case INVALID_TRANSITION -> new ApiError(409, "invalid_transition", refused.getMessage());
                case ORDER_LIMIT -> new ApiError(503, "order_limit_reached", refused.getMessage());
                case STORAGE_BUSY -> new ApiError(503, "storage_busy", refused.getMessage());
                case STORAGE_FAILED -> new ApiError(503, "storage_unavailable", refused.getMessage());
            };
        }
        return failure;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
