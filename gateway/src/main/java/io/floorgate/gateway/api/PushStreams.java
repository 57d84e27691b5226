package io.floorgate.gateway.api;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.concurrent.ConcurrentHashMap;

import io.floorgate.gateway.linking.Customer;
import io.floorgate.gateway.linking.SessionListener;
import io.floorgate.gateway.linking.ShopperSession;
import io.floorgate.gateway.linking.Touch;
import io.floorgate.gateway.linking.TouchKind;
import io.floorgate.gateway.linking.TouchLinker;
import io.floorgate.gateway.linking.TouchListener;
import io.floorgate.gateway.pickup.Order;
import io.floorgate.gateway.pickup.PickupEvent;
import io.floorgate.gateway.pickup.PickupListener;
import io.floorgate.gateway.staff.StaffSession;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;

/**
 * The open push streams, shoppers' and staff's, and what each is told of pickup steps and kiosk scans. Called on
 * the pickup stage's context (steps) and on event loops (touches, streams opening and closing); every map is
 * concurrent and every push goes through a {@link PushConnection}'s bounded hand-off, so nothing here blocks a stage.
 *
 * <p>Messages are JSON objects with a {@code type}: to shoppers {@code order_ready}, {@code arrival_seen},
 * {@code staff_on_the_way}, {@code handed_off}, {@code feedback_request}, {@code kiosk_linked}; to staff
 * {@code arrival}, {@code handoff}, {@code sla_breach}.
 * Both streams begin with {@code hello}, sent once the stream is registered.
 *
 * <p>A staff stream opened with a staff login is checked before each message: once its session has ended (logout,
 * expiry, the account removed) the stream is closed instead of told, so a login that no longer holds hears nothing.
 *
 * <p>Wiring: the gateway creates one and subscribes it to the pickup stage, the session registry and the touch
 * linker with the other stage subscriptions; the routes that open streams are handed it.
 */
public final class PushStreams implements PickupListener, SessionListener, TouchListener {

    private record ShopperStream(ShopperSession session, PushConnection connection) {
    }

    private final Map<PushConnection, ShopperStream> shoppers = new ConcurrentHashMap<>();
    /** Each staff stream with the staff session it was opened with; empty for the order system's token. */
    private final Map<PushConnection, Optional<StaffSession>> staff = new ConcurrentHashMap<>();
    private final Predicate<StaffSession> staffSessionHolds;
    private final Counter shopperDropped;
    private final Counter staffDropped;

    /** @param staffSessionHolds whether a staff session is still valid, asked before each message to its streams */
    public PushStreams(MeterRegistry metrics, Predicate<StaffSession> staffSessionHolds) {
        this.staffSessionHolds = staffSessionHolds;
        shopperDropped = dropped(metrics, "shopper");
        staffDropped = dropped(metrics, "staff");
    }

    private static Counter dropped(MeterRegistry metrics, String stream) {
        return Counter.builder("floorgate.push.dropped").tag("stream", stream)
                .description("Push messages dropped because the client was not reading fast enough")
                .register(metrics);
    }

    Counter droppedCounter(boolean forStaff) {
        return forStaff ? staffDropped : shopperDropped;
    }

    void addShopper(ShopperSession session, PushConnection connection) {
        shoppers.put(connection, new ShopperStream(session, connection));
    }

    /** @param session the staff login the stream was opened with; empty for the order system's token */
    void addStaff(PushConnection connection, Optional<StaffSession> session) {
        staff.put(connection, session);
    }

    void remove(PushConnection connection) {
        shoppers.remove(connection);
        staff.remove(connection);
    }

    @Override
    public void onPickup(PickupEvent event) {
        Order order = event.order();
        if (event instanceof PickupEvent.Ready) {
            toShopper(order, message("order_ready", order)
                    .put("message", "Your order " + order.id() + " is ready to collect at " + order.pickupPointId()));
        } else if (event instanceof PickupEvent.Arrived arrived) {
            toStaff(message("arrival", order).put("source", arrived.source().label())
                    .put("message", "Customer " + order.customer().label() + " arrived for order " + order.id()
                            + " at " + order.pickupPointId()));
            toShopper(order, message("arrival_seen", order)
                    .put("message", "We've seen you: staff are on the way with order " + order.id()));
        } else if (event instanceof PickupEvent.HandedOff handedOff) {
            toStaff(message("handoff", order).put("source", handedOff.source().label())
                    .put("waitSeconds", handedOff.waitMs() / 1000.0));
            toShopper(order, message("handed_off", order).put("message", "Enjoy your order " + order.id()));
            toShopper(order, message("feedback_request", order)
                    .put("message", "How was your pickup today?")
                    .put("scales", new JsonObject().put("csat", "1..5").put("nps", "0..10").put("ces", "1..7")));
        } else if (event instanceof PickupEvent.StaffComing) {
            toShopper(order, message("staff_on_the_way", order)
                    .put("message", "Staff are on the way with order " + order.id()));
        } else if (event instanceof PickupEvent.ServiceLevelBreached breach) {
            toStaff(message("sla_breach", order).put("waitedSeconds", breach.waitedMs() / 1000.0)
                    .put("serviceLevelSeconds", breach.serviceLevelMs() / 1000.0)
                    .put("message", "Order " + order.id() + " at " + order.pickupPointId() + " has waited over the"
                            + " service level"));
        }
    }

    /** Tells the order's shopper: its linked session, or before linking every open stream of that customer. */
    void toShopper(Order order, JsonObject message) {
        for (ShopperStream stream : shoppers.values()) {
            boolean theirs = order.sessionId().map(stream.session().id()::equals)
                    .orElseGet(() -> stream.session().customer().map(Customer::hash).filter(order.customer()::equals)
                            .isPresent());
            if (theirs) {
                stream.connection().push(message);
            }
        }
    }

    /** A kiosk scan started a kiosk session: the app can show that the kiosk is now the shopper's, and until when. */
    @Override
    public void touched(Touch touch) {
        if (touch.kind() != TouchKind.KIOSK_SCAN) {
            return;
        }
        JsonObject message = new JsonObject().put("type", "kiosk_linked").put("kioskId", touch.deviceId())
                .put("until", Instant.ofEpochMilli(touch.atMs()).plus(TouchLinker.KIOSK_SESSION).toString());
        for (ShopperStream stream : shoppers.values()) {
            if (stream.session().id().equals(touch.sessionId())) {
                stream.connection().push(message);
            }
        }
    }

    private void toStaff(JsonObject message) {
        staff.entrySet().removeIf(stream -> {
            boolean ended = stream.getValue().filter(staffSessionHolds.negate()).isPresent();
            if (ended) {
                stream.getKey().close();
            } else {
                stream.getKey().push(message);
            }
            return ended;
        });
    }

    static JsonObject message(String type, Order order) {
        return new JsonObject().put("type", type).put("order", OrderJson.of(order));
    }

    @Override
    public void started(ShopperSession session) {
        // A stream is opened by the app after check-in; nothing to do until then.
    }

    /** A session that ends closes its streams: the token they were opened with no longer holds. */
    @Override
    public void ended(String sessionId) {
        shoppers.values().removeIf(stream -> {
            boolean ended = stream.session().id().equals(sessionId);
            if (ended) {
                stream.connection().close();
            }
            return ended;
        });
    }
}
