package io.floorgate.gateway.api;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

import io.floorgate.config.StaffRole;
import io.floorgate.gateway.api.ApiRouter.Body;
import io.floorgate.gateway.linking.CustomerHash;
import io.floorgate.gateway.linking.ShopperSession;
import io.floorgate.gateway.pickup.Order;
import io.floorgate.gateway.pickup.OrderReady;
import io.floorgate.gateway.pickup.PickupRefused;
import io.floorgate.gateway.pickup.PickupStage;
import io.floorgate.gateway.privacy.AuditAction;
import io.floorgate.gateway.privacy.AuditLog;
import io.floorgate.gateway.privacy.CustomerKeys;
import io.floorgate.gateway.privacy.PrivacyRefused;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The pickup part of the API under {@code /api/v1}: the order system marks orders ready, the shopper links an
 * order, says "on my way" and "I'm here", staff confirm hand-offs, and the two push streams (WebSocket).
 *
 * <p>Who may call, as each route's {@link Admission} says: the order system and, until staff log in with the ops
 * page, staff, with the store's {@code sessions.systemClientToken} (a store without one configured answers 503
 * {@code system_client_not_configured}: no token the caller could send would help); signed-in staff on the
 * hand-off and the staff stream once a {@link StaffAuthenticator} signs them in; shoppers with their session's
 * token. Browsers cannot set headers on a WebSocket, so the streams also take the token as {@code ?token=}.
 *
 * <p>Threads: handlers run on the event loop; order state is the pickup stage's, asked through futures that
 * answer once the step is committed.
 */
public final class PickupRoutes {

    private static final int MAX_ORDER_ID_LENGTH = 128;
    /** The longest customer reference the gateway takes, in an order and in a privacy request. */
    static final int MAX_CUSTOMER_REF_LENGTH = 128;
    private static final int MAX_POINT_ID_LENGTH = 64;
    /** As the kiosk's PickupCheckIn allows (proto: 1..64 characters). */
    private static final int MAX_CODE_LENGTH = 64;
    /** A day: anything longer is not "on my way". */
    private static final int MAX_ETA_MINUTES = 24 * 60;
    private static final Pattern ORDER_ID = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_ORDER_ID_LENGTH + "}");

    private final PickupStage pickup;
    private final PushStreams streams;
    private final CustomerKeys customers;
    private final AuditLog audit;

    /**
     * @param streams   the open push streams, subscribed to the stages by the gateway; the routes open and close them
     * @param customers hashes the customer reference an order system sends; the reference itself is not kept
     * @param audit     where staff opening an order are recorded
     */
    public PickupRoutes(PickupStage pickup, PushStreams streams, CustomerKeys customers, AuditLog audit) {
        this.audit = audit;
        this.pickup = pickup;
        this.streams = streams;
        this.customers = customers;
    }

    /** Registers the routes; their counting, authentication and error answers are the router's. */
    public void mount(ApiRouter api) {
        Admission staff = Admission.orderSystem().orStaff(StaffRole.ASSOCIATE);
        Admission shopper = Admission.sessionInPath();
        api.route(HttpMethod.PUT, "/orders/:orderId", Admission.orderSystem(), Body.JSON).handler(this::putOrder);
        api.route(HttpMethod.POST, "/orders/:orderId/handoff", staff, Body.NONE).handler(this::handOff);
        api.route(HttpMethod.POST, "/orders/:orderId/coming", staff, Body.NONE).handler(this::coming);
        api.route(HttpMethod.POST, "/sessions/:sessionId/orders/:orderId", shopper, Body.NONE).handler(this::link);
        api.route(HttpMethod.POST, "/sessions/:sessionId/orders/:orderId/on-my-way", shopper, Body.OPTIONAL_JSON)
                .handler(this::onMyWay);
        api.route(HttpMethod.POST, "/sessions/:sessionId/orders/:orderId/arrived", shopper, Body.NONE)
                .handler(this::arrived);
        api.route(HttpMethod.GET, "/sessions/:sessionId/stream", shopper.withTokenInQuery(), Body.NONE)
                .handler(ctx -> shopperStream(ctx, api.guard()));
        api.route(HttpMethod.GET, "/staff/stream", staff.withTokenInQuery(), Body.NONE)
                .handler(ctx -> staffStream(ctx, api.guard()));
    }

    private void putOrder(RoutingContext ctx) {
        String orderId = orderId(ctx);
        JsonBody body = ApiRouter.body(ctx);
        String status = body.requiredText("status", MAX_POINT_ID_LENGTH);
        if (!status.equals("READY")) {
            throw ApiError.invalidRequest("status must be READY: the order system only says when an order is ready");
        }
        OrderReady ready = new OrderReady(orderId,
                customers.hash(body.requiredText("customerRef", MAX_CUSTOMER_REF_LENGTH)),
                body.requiredText("pickupPointId", MAX_POINT_ID_LENGTH), body.requiredText("code", MAX_CODE_LENGTH));
        pickup.markReady(ready).onSuccess(outcome -> ApiRouter.json(ctx, outcome.created() ? 201 : 200,
                OrderJson.of(outcome.order()))).onFailure(e -> ctx.fail(refusal(e)));
    }

    private void handOff(RoutingContext ctx) {
        String orderId = orderId(ctx);
        audited(ctx, AuditAction.PICKUP_HANDOFF, orderId).onSuccess(v -> answer(ctx, pickup.handOffByStaff(orderId)));
    }

    /** Staff tell the waiting shopper they are on their way (the ops page's "coming" button). */
    private void coming(RoutingContext ctx) {
        String orderId = orderId(ctx);
        audited(ctx, AuditAction.PICKUP_COMING, orderId).onSuccess(v -> answer(ctx, pickup.staffComing(orderId)));
    }

    /**
     * Staff opening an order act on its customer's data: the audit log records it (by the customer's keyed hash) before
     * it is done, and a refused entry refuses the action. The order system's calls are not staff's and are not audited.
     */
    private Future<Void> audited(RoutingContext ctx, AuditAction action, String orderId) {
        if (!(ApiRouter.caller(ctx) instanceof Caller.Staff member)) {
            return Future.succeededFuture();
        }
        Optional<CustomerHash> subject = pickup.openOrders().stream().filter(o -> o.id().equals(orderId)).findFirst()
                .map(Order::customer);
        return audit.record(audit.entry(member.session(), action, subject, "order " + orderId))
                .onFailure(e -> ctx.fail(e instanceof PrivacyRefused refused ? PrivacyRoutes.refusal(refused) : e));
    }

    private void link(RoutingContext ctx) {
        ShopperSession session = ApiRouter.shopper(ctx);
        answer(ctx, pickup.link(session, orderId(ctx)));
    }

    private void onMyWay(RoutingContext ctx) {
        ShopperSession session = ApiRouter.shopper(ctx);
        OptionalInt eta = ctx.body().length() > 0
                ? ApiRouter.body(ctx).optionalInt("etaMinutes", 0, MAX_ETA_MINUTES)
                : OptionalInt.empty();
        answer(ctx, pickup.onMyWay(session, orderId(ctx), eta));
    }

    private void arrived(RoutingContext ctx) {
        ShopperSession session = ApiRouter.shopper(ctx);
        answer(ctx, pickup.arrivedByApp(session, orderId(ctx)));
    }

    private void shopperStream(RoutingContext ctx, HttpGuard guard) {
        ShopperSession session = ApiRouter.shopper(ctx);
        upgrade(ctx, false, guard).onSuccess(connection -> {
            streams.addShopper(session, connection);
            connection.push(new JsonObject().put("type", "hello").put("sessionId", session.id()));
            // Orders made ready before the stream opened are told now, so the app need not ask.
            session.customer().ifPresent(customer -> pickup.openOrdersOf(customer.hash()).onSuccess(orders ->
                    orders.forEach(o -> connection.push(PushStreams.message("order_ready", o)))));
        });
    }

    private void staffStream(RoutingContext ctx, HttpGuard guard) {
        upgrade(ctx, true, guard).onSuccess(connection -> {
            streams.addStaff(connection, ApiRouter.caller(ctx) instanceof Caller.Staff member
                    ? Optional.of(member.session()) : Optional.empty());
            connection.push(new JsonObject().put("type", "hello").put("stream", "staff"));
        });
    }

    /** Answers 101 and registers the socket; a request that is not a WebSocket upgrade gets a JSON 400. */
    private Future<PushConnection> upgrade(RoutingContext ctx, boolean forStaff, HttpGuard guard) {
        if (!"websocket".equalsIgnoreCase(ctx.request().getHeader("Upgrade"))) {
            throw ApiError.invalidRequest("this is a WebSocket stream: send an Upgrade: websocket request");
        }
        return ctx.request().toWebSocket().map(socket -> {
            PushConnection connection = new PushConnection(socket, Vertx.currentContext(),
                    streams.droppedCounter(forStaff));
            socket.closeHandler(v -> streams.remove(connection));
            // Clients only listen; whatever they send is ignored rather than buffered, up to the guard's bounds.
            guard.watch(socket);
            return connection;
        }).onFailure(e -> ctx.fail(ApiError.invalidRequest("the WebSocket upgrade failed: " + e.getMessage())));
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
        step.onSuccess(order -> ApiRouter.json(ctx, 200, OrderJson.of(order))).onFailure(e -> ctx.fail(refusal(e)));
    }

    private static Throwable refusal(Throwable failure) {
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
}
