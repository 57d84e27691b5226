package io.floorgate.gateway.pickup;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.floorgate.config.Device;
import io.floorgate.config.Pickup;
import io.floorgate.config.StoreConfig;
import io.floorgate.config.Zone;
import io.floorgate.config.ZoneKind;
import io.floorgate.gateway.ingest.DeviceEventListener;
import io.floorgate.gateway.linking.Customer;
import io.floorgate.gateway.linking.CustomerHash;
import io.floorgate.gateway.linking.ErasureListener;
import io.floorgate.gateway.linking.SessionDirectory;
import io.floorgate.gateway.linking.ShopperSession;
import io.floorgate.gateway.linking.Touch;
import io.floorgate.gateway.linking.TouchListener;
import io.floorgate.gateway.location.ZoneChangeListener;
import io.floorgate.gateway.location.ZoneEntry;
import io.floorgate.gateway.location.ZoneExit;
import io.floorgate.gateway.store.CommitListener;
import io.floorgate.gateway.store.GroupCommitter;
import io.floorgate.gateway.store.StoreWrite;
import io.floorgate.proto.v1.DeviceEvent;
import io.floorgate.proto.v1.KioskInteraction;
import io.floorgate.proto.v1.NfcTap;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pickup stage: owns every order and its steps READY → (ON_THE_WAY) → ARRIVED → HANDED_OFF, persists each
 * step through the group committer, and tells its {@link PickupListener}s (the push streams) once a step is
 * committed.
 *
 * <p>Threads: all order state lives on this verticle's own context. Requests from the API, zone entries from the
 * location stage, kiosk or NFC events from ingest and committed touches from linking are handed here with {@code runOnContext}; API calls get their
 * answer back on their own context, and only after the step's rows are committed (DESIGN: acknowledge only what is
 * committed). A step is applied in memory at once, so a second request sees it, and undone if its write fails.
 *
 * <p>Bound: at most {@link #MAX_ORDERS} orders are held. Handed-off orders are let go after
 * {@link #HANDED_OFF_KEPT_MS} (and first, when the bound is reached); with the bound full of open orders a new one
 * is refused (503) rather than let memory grow.
 *
 * <p>Read view: the open orders as committed are published as an immutable list, replaced on every commit that
 * changes one ({@link PickupQueueQuery}), the way the location stage publishes occupancy.
 */
public final class PickupStage extends VerticleBase implements ZoneChangeListener, DeviceEventListener,
        TouchListener, PickupQueueQuery, ErasureListener {

    private static final Logger LOG = LoggerFactory.getLogger(PickupStage.class);

    /** Many times the orders a busy store has open in a day. */
    public static final int MAX_ORDERS = 10_000;
    /** How often open arrivals are checked against the service level: a breach is raised within this. */
    public static final long CHECK_MS = 1_000;
    /** Long enough that an order system re-sending a handed-off order gets 409, not a fresh order. */
    public static final long HANDED_OFF_KEPT_MS = 24 * 60 * 60 * 1000L;

    private final GroupCommitter committer;
    private final Supplier<StoreConfig> config;
    private final SessionDirectory sessions;
    private final LongSupplier clockMs;
    private final PickupMetrics metrics;
    private final PickupEventRows eventRows;
    private final List<PickupListener> listeners = new CopyOnWriteArrayList<>();

    // Owned by the stage context (and by restore, before deployment).
    private final Map<String, Order> orders = new LinkedHashMap<>();
    private final Map<String, String> idByCode = new HashMap<>();
    /** Open arrivals already reported as breaching the service level: each is raised once. */
    private final Set<String> breached = new HashSet<>();
    /** The open orders as committed, in the order they were made ready; what {@link #openOrders} publishes. */
    private final Map<String, Order> committedOpen = new LinkedHashMap<>();
    private volatile List<Order> openOrders = List.of();

    /** @param eventRows the upstream's live event of a step, committed with the step's rows */
    public PickupStage(GroupCommitter committer, Supplier<StoreConfig> config, SessionDirectory sessions,
                       LongSupplier clockMs, MeterRegistry metrics, PickupEventRows eventRows) {
        this.committer = committer;
        this.eventRows = eventRows;
        this.config = config;
        this.sessions = sessions;
        this.clockMs = clockMs;
        this.metrics = new PickupMetrics(metrics);
    }

    /** Puts back the orders read at start; call before deploying. */
    public void restore(Collection<Order> stored) {
        for (Order order : stored) {
            put(order);
            publish(order);
        }
    }

    public void subscribe(PickupListener listener) {
        listeners.add(listener);
    }

    @Override
    public Future<?> start() {
        vertx.setPeriodic(CHECK_MS, id -> checkServiceLevel());
        return Future.succeededFuture();
    }

    /** The order system marks an order ready; a repeat of the same READY order is answered without a write. */
    public Future<ReadyOutcome> markReady(OrderReady ready) {
        return onStage(done -> {
            if (pickupPoint(ready.pickupPointId()).isEmpty()) {
                throw new PickupRefused(PickupRefused.Reason.UNKNOWN_PICKUP_POINT,
                        "no pickup point " + ready.pickupPointId() + " in this store");
            }
            String holder = idByCode.get(ready.code());
            if (holder != null && !holder.equals(ready.orderId())) {
                throw new PickupRefused(PickupRefused.Reason.INVALID_TRANSITION,
                        "the code is already used by another order; codes must be unique among open orders");
            }
            Order existing = orders.get(ready.orderId());
            if (existing != null && existing.state() != OrderState.READY) {
                throw invalid(existing, "made READY again");
            }
            if (existing != null && existing.customer().equals(ready.customer())
                    && existing.pickupPointId().equals(ready.pickupPointId()) && existing.code().equals(ready.code())) {
                done.complete(new ReadyOutcome(existing, false));
                return;
            }
            if (existing == null) {
                makeRoom();
            }
            Order order = Order.ready(ready.orderId(), ready.customer(), ready.pickupPointId(), ready.code(),
                    clockMs.getAsLong());
            Promise<Order> stepped = Promise.promise();
            step(existing, order, StepSource.SYSTEM, stepped, new PickupEvent.Ready(order));
            stepped.future().onComplete(ar -> done.handle(ar.map(o -> new ReadyOutcome(o, existing == null))));
        });
    }

    /** Links an order to the shopper's session; the session's customer reference must be the order's. */
    public Future<Order> link(ShopperSession session, String orderId) {
        return onStage(done -> {
            Order order = owned(session, orderId);
            if (order.sessionId().filter(session.id()::equals).isPresent()) {
                done.complete(order);
                return;
            }
            if (order.state() == OrderState.HANDED_OFF) {
                throw invalid(order, "linked");
            }
            write(order, order.linkedTo(session.id()), null, done, null);
        });
    }

    /** "On my way", from the app; a second one updates the ETA. */
    public Future<Order> onMyWay(ShopperSession session, String orderId, OptionalInt etaMinutes) {
        return onStage(done -> {
            Order order = owned(session, orderId);
            if (!order.state().awaitsArrival()) {
                throw invalid(order, "marked on the way");
            }
            Order next = order.linkedTo(session.id()).onTheWay(etaMinutes, clockMs.getAsLong());
            step(order, next, StepSource.APP, done, null);
        });
    }

    /** "I'm here", from the app. Saying it again once arrived answers the order as it is. */
    public Future<Order> arrivedByApp(ShopperSession session, String orderId) {
        return onStage(done -> {
            Order order = owned(session, orderId);
            if (order.state() == OrderState.ARRIVED) {
                done.complete(order);
                return;
            }
            arrive(order.linkedTo(session.id()), order, StepSource.APP, clockMs.getAsLong(), done);
        });
    }

    /** Staff confirm the hand-off. */
    public Future<Order> handOffByStaff(String orderId) {
        return onStage(done -> handOff(known(orderId), StepSource.STAFF, clockMs.getAsLong(), done));
    }

    /**
     * Staff tell the waiting shopper they are coming. Nothing is stored: it changes no step of the order, it only
     * reaches the shopper's stream (and an arrival has already been stored, so the wait is timed from it).
     */
    public Future<Order> staffComing(String orderId) {
        return onStage(done -> {
            Order order = known(orderId);
            if (order.state() == OrderState.HANDED_OFF) {
                throw invalid(order, "announced as coming");
            }
            PickupEvent event = new PickupEvent.StaffComing(order);
            listeners.forEach(l -> l.onPickup(event));
            done.complete(order);
        });
    }

    /** The orders a customer may collect now, for a shopper's stream when it opens. */
    public Future<List<Order>> openOrdersOf(CustomerHash customer) {
        return onStage(done -> done.complete(orders.values().stream()
                .filter(o -> o.customer().equals(customer) && o.state() != OrderState.HANDED_OFF).toList()));
    }

    /**
     * A customer's data is erased: their orders, and orders linked to their sessions, leave the stage (and the queue)
     * without a write; the erasure anonymizes their rows. An order system that makes one ready again starts afresh.
     */
    @Override
    public Future<Void> erase(Customer customer, Set<String> sessionIds) {
        return onStage(done -> {
            boolean openChanged = false;
            for (Order order : List.copyOf(orders.values())) {
                if (order.customer().equals(customer.hash())
                        || order.sessionId().filter(sessionIds::contains).isPresent()) {
                    remove(order);
                    openChanged |= committedOpen.remove(order.id()) != null;
                }
            }
            if (openChanged) {
                openOrders = List.copyOf(committedOpen.values());
            }
            done.complete();
        });
    }

    /** On the location stage's context: an entry into a pickup zone is an arrival for the shopper's orders there. */
    @Override
    public void entered(ZoneEntry entry) {
        boolean pickupZone = config.get().zone(entry.zoneId()).map(Zone::kind).filter(ZoneKind.PICKUP::equals)
                .isPresent();
        if (pickupZone) {
            Optional<CustomerHash> customer = customerOf(entry.sessionId());
            context.runOnContext(v -> arriveAt(entry.sessionId(), customer, p -> p.zone().equals(entry.zoneId()),
                    StepSource.ZONE, entry.atMs()));
        }
    }

    /**
     * On an ingest event loop, once a touch is committed: the shopper's session tapped at a pickup point's NFC reader,
     * or scanned at a kiosk in a pickup point's zone, is an arrival for the shopper's orders there.
     */
    @Override
    public void touched(Touch touch) {
        Predicate<Pickup.PickupPoint> here;
        StepSource source;
        switch (touch.kind()) {
            case NFC_TAP -> {
                here = p -> p.nfcReader().equals(touch.deviceId());
                source = StepSource.NFC;
            }
            case KIOSK_SCAN -> {
                here = p -> p.zone().equals(touch.deviceZoneId());
                source = StepSource.KIOSK;
            }
            default -> {
                return;
            }
        }
        Optional<CustomerHash> customer = customerOf(touch.sessionId());
        context.runOnContext(v -> arriveAt(touch.sessionId(), customer, here, source, touch.atMs()));
    }

    private Optional<CustomerHash> customerOf(String sessionId) {
        return sessions.find(sessionId).flatMap(ShopperSession::customer).map(Customer::hash);
    }

    @Override
    public void exited(ZoneExit exit) {
        // Leaving the pickup zone changes nothing: the shopper has arrived, and staff may already be on the way.
    }

    /** On an ingest event loop: kiosk check-ins and NFC taps carrying an order code. */
    @Override
    public void onEvent(Device device, DeviceEvent event, long receivedAtMs) {
        if (event.hasKioskInteraction() && event.getKioskInteraction().getActionCase()
                == KioskInteraction.ActionCase.PICKUP_CHECK_IN) {
            String code = event.getKioskInteraction().getPickupCheckIn().getOrderCode();
            context.runOnContext(v -> fromDevice(device, code, receivedAtMs, true));
        } else if (event.hasNfcTap() && event.getNfcTap().getKind() == NfcTap.TokenKind.TOKEN_KIND_ORDER) {
            String code = event.getNfcTap().getToken().toString(StandardCharsets.UTF_8);
            context.runOnContext(v -> fromDevice(device, code, receivedAtMs, false));
        }
    }

    private void fromDevice(Device device, String code, long atMs, boolean kiosk) {
        Promise<Order> done = Promise.promise();
        try {
            String orderId = idByCode.get(code);
            if (orderId == null) {
                throw new PickupRefused(PickupRefused.Reason.UNKNOWN_ORDER, "no open order has this code");
            }
            Order order = orders.get(orderId);
            if (kiosk) {
                arrive(order, order, StepSource.KIOSK, atMs, done);
            } else {
                String reader = pickupPoint(order.pickupPointId()).map(Pickup.PickupPoint::nfcReader).orElse("");
                if (!reader.equals(device.id())) {
                    throw new PickupRefused(PickupRefused.Reason.INVALID_TRANSITION, "order " + order.id()
                            + " is handed off at " + order.pickupPointId() + ", whose reader is " + reader);
                }
                handOff(order, StepSource.NFC, atMs, done);
            }
        } catch (PickupRefused e) {
            done.fail(e);
        }
        done.future().onFailure(e -> {
            metrics.deviceRefused();
            LOG.info("{} at {} refused: {}", kiosk ? "Pickup check-in" : "NFC hand-off", device.id(), e.getMessage());
        });
    }

    /**
     * The session's orders waiting for arrival at a pickup point that is {@code here} arrive, and are linked to it.
     * The shopper's orders are those linked to the session or, not linked yet, of its customer reference.
     */
    private void arriveAt(String sessionId, Optional<CustomerHash> customer, Predicate<Pickup.PickupPoint> here,
                          StepSource source, long atMs) {
        for (Order order : List.copyOf(orders.values())) {
            boolean shoppers = order.sessionId().map(sessionId::equals)
                    .orElseGet(() -> customer.filter(order.customer()::equals).isPresent());
            if (shoppers && order.state().awaitsArrival() && pickupPoint(order.pickupPointId()).filter(here).isPresent()) {
                Promise<Order> done = Promise.promise();
                arrive(order.linkedTo(sessionId), order, source, atMs, done);
                done.future().onFailure(e -> LOG.warn("Arrival of order {} ({}) not stored: {}", order.id(),
                        source.label(), e.getMessage()));
            }
        }
    }

    /** {@code order} is what to move (possibly newly linked), {@code before} what is held now. */
    private void arrive(Order order, Order before, StepSource source, long atMs, Promise<Order> done) {
        if (!order.state().awaitsArrival()) {
            throw invalid(order, "marked arrived");
        }
        Order next = order.arrived(atMs);
        step(before, next, source, done, new PickupEvent.Arrived(next, source));
        done.future().onSuccess(o -> metrics.arrived(source));
    }

    private void handOff(Order order, StepSource source, long atMs, Promise<Order> done) {
        if (order.state() != OrderState.ARRIVED) {
            throw invalid(order, "handed off; the shopper has not arrived");
        }
        Order next = order.handedOff(atMs);
        long waitMs = next.waitMs(atMs);
        step(order, next, source, done, new PickupEvent.HandedOff(next, source, waitMs));
        done.future().onSuccess(o -> {
            metrics.handedOff(source, waitMs);
            if (breached.remove(o.id())) {
                return;
            }
            long serviceLevelMs = config.get().pickup().serviceLevel().toMillis();
            if (waitMs > serviceLevelMs) {
                breach(o, waitMs, serviceLevelMs);
            }
        });
    }

    /**
     * A transition: the order's row, a step row and the step's upstream event; {@code done} completes once all are
     * committed, in one transaction.
     */
    private void step(Order before, Order after, StepSource source, Promise<Order> done, PickupEvent event) {
        long atMs = switch (after.state()) {
            case READY -> after.readyAtMs();
            case ON_THE_WAY -> after.onTheWayAtMs().orElseThrow();
            case ARRIVED -> after.arrivedAtMs().orElseThrow();
            case HANDED_OFF -> after.handedOffAtMs().orElseThrow();
        };
        write(before, after, new StepRow(after.id(), after.state(), atMs, source), done, event);
    }

    /**
     * Applies {@code after} now and writes it; on commit completes {@code done} and tells the listeners, on failure
     * puts {@code before} back (unless a later step replaced it meanwhile).
     */
    private void write(Order before, Order after, StepRow stepRow, Promise<Order> done, PickupEvent event) {
        put(after);
        CommitListener listener = new CommitListener() {
            @Override
            public void committed() {
                publish(after);
                done.complete(after);
                if (event != null) {
                    listeners.forEach(l -> l.onPickup(event));
                }
            }

            @Override
            public void failed(Exception cause) {
                undo(before, after);
                done.fail(new PickupRefused(PickupRefused.Reason.STORAGE_FAILED,
                        "the step could not be stored: " + cause.getMessage()));
            }
        };
        List<StoreWrite> rows = new ArrayList<>();
        rows.add(new OrderRow(after));
        if (stepRow != null) {
            rows.add(stepRow);
        }
        if (event != null) {
            rows.addAll(eventRows.rowsFor(event));
        }
        if (!committer.offer(rows, context, listener)) {
            undo(before, after);
            done.fail(new PickupRefused(PickupRefused.Reason.STORAGE_BUSY, "storage is busy; try again shortly"));
        }
    }

    /** On the stage context (or in restore): {@code order} is committed; republishes the queue if it changed. */
    private void publish(Order order) {
        boolean changed = order.state() == OrderState.HANDED_OFF
                ? committedOpen.remove(order.id()) != null
                : !order.equals(committedOpen.put(order.id(), order));
        if (changed) {
            openOrders = List.copyOf(committedOpen.values());
        }
    }

    @Override
    public List<Order> openOrders() {
        return openOrders;
    }

    private void undo(Order before, Order after) {
        if (orders.get(after.id()) != after) {
            return;
        }
        if (before == null) {
            remove(after);
        } else {
            put(before);
        }
    }

    private void put(Order order) {
        Order previous = orders.put(order.id(), order);
        if (previous != null && !previous.code().equals(order.code())) {
            idByCode.remove(previous.code(), previous.id());
        }
        idByCode.put(order.code(), order.id());
        metrics.moved(previous == null ? null : previous.state(), order.state());
    }

    private void remove(Order order) {
        orders.remove(order.id());
        idByCode.remove(order.code(), order.id());
        breached.remove(order.id());
        metrics.moved(order.state(), null);
    }

    /** Lets go of the oldest handed-off order when the bound is reached; refuses when none is handed off. */
    private void makeRoom() {
        if (orders.size() < MAX_ORDERS) {
            return;
        }
        Order oldest = orders.values().stream().filter(o -> o.state() == OrderState.HANDED_OFF).findFirst()
                .orElseThrow(() -> new PickupRefused(PickupRefused.Reason.ORDER_LIMIT,
                        "the store holds " + MAX_ORDERS + " open orders, its limit"));
        remove(oldest);
    }

    /** On the stage context, every {@link #CHECK_MS}: raises breaches of waiting shoppers, lets old orders go. */
    private void checkServiceLevel() {
        long now = clockMs.getAsLong();
        long serviceLevelMs = config.get().pickup().serviceLevel().toMillis();
        for (Iterator<Order> it = orders.values().iterator(); it.hasNext(); ) {
            Order order = it.next();
            if (order.state() == OrderState.ARRIVED && order.waitMs(now) > serviceLevelMs
                    && breached.add(order.id())) {
                breach(order, order.waitMs(now), serviceLevelMs);
            } else if (order.state() == OrderState.HANDED_OFF
                    && now - order.handedOffAtMs().orElseThrow() > HANDED_OFF_KEPT_MS) {
                it.remove();
                idByCode.remove(order.code(), order.id());
                metrics.moved(order.state(), null);
            }
        }
    }

    private void breach(Order order, long waitedMs, long serviceLevelMs) {
        metrics.breached();
        LOG.info("Pickup order {} at {}: waited {} s, over the service level of {} s", order.id(),
                order.pickupPointId(), waitedMs / 1000.0, serviceLevelMs / 1000.0);
        PickupEvent event = new PickupEvent.ServiceLevelBreached(order, waitedMs, serviceLevelMs);
        // No row of the order changes with a breach: its upstream event is a transaction of its own.
        if (!committer.offer(eventRows.rowsFor(event), context, null)) {
            LOG.warn("Breach of order {} not reported upstream: storage is busy", order.id());
        }
        listeners.forEach(l -> l.onPickup(event));
    }

    private Order known(String orderId) {
        Order order = orders.get(orderId);
        if (order == null) {
            throw new PickupRefused(PickupRefused.Reason.UNKNOWN_ORDER, "no order " + orderId + " is ready here");
        }
        return order;
    }

    private Order owned(ShopperSession session, String orderId) {
        Order order = known(orderId);
        if (!session.customer().map(Customer::hash).filter(order.customer()::equals).isPresent()) {
            throw new PickupRefused(PickupRefused.Reason.NOT_YOUR_ORDER,
                    "order " + orderId + " belongs to another customer");
        }
        if (order.sessionId().filter(id -> !id.equals(session.id()) && sessions.find(id).isPresent()).isPresent()) {
            throw new PickupRefused(PickupRefused.Reason.NOT_YOUR_ORDER,
                    "order " + orderId + " is linked to another open session");
        }
        return order;
    }

    private static PickupRefused invalid(Order order, String what) {
        return new PickupRefused(PickupRefused.Reason.INVALID_TRANSITION,
                "order " + order.id() + " is " + order.state() + " and cannot be " + what);
    }

    private Optional<Pickup.PickupPoint> pickupPoint(String id) {
        return config.get().pickup().points().stream().filter(p -> p.id().equals(id)).findFirst();
    }

    /**
     * Runs {@code work} on the stage context; the answer comes back on the caller's context. Anything the work
     * throws ({@link PickupRefused}, or a bug) fails the answer, so no request is left waiting.
     */
    private <T> Future<T> onStage(Consumer<Promise<T>> work) {
        Context caller = Vertx.currentContext();
        Promise<T> onStage = Promise.promise();
        context.runOnContext(v -> {
            try {
                work.accept(onStage);
            } catch (RuntimeException e) {
                onStage.tryFail(e);
            }
        });
        if (caller == null || Objects.equals(caller, context)) {
            return onStage.future();
        }
        Promise<T> answer = Promise.promise();
        onStage.future().onComplete(result -> caller.runOnContext(v -> answer.handle(result)));
        return answer.future();
    }
}
