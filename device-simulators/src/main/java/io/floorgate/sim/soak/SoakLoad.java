package io.floorgate.sim.soak;

import io.floorgate.config.Device;
import io.floorgate.config.DeviceKind;
import io.floorgate.config.StoreConfig;
import io.floorgate.proto.v1.DeviceEvent;
import io.floorgate.proto.v1.KioskInteraction;
import io.floorgate.proto.v1.NfcTap;
import io.floorgate.sim.play.AppCheckIns;
import io.floorgate.sim.play.AppSession;
import io.floorgate.sim.play.Outbound;
import io.floorgate.sim.play.PahoDevice;
import io.floorgate.sim.play.PickupCalls;
import io.floorgate.sim.play.PlayStats;
import io.floorgate.sim.play.ReconnectBackoff;
import io.floorgate.sim.play.RotatingAdvertiser;
import io.floorgate.sim.play.SimulatedDevice;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttException;

/**
 * The crash soak's mixed load: the store's NFC readers tap checked-in shoppers' touch tokens and its kiosks take
 * feedback (QoS 1 device events), apps check in over HTTP, and pickups run from READY to the hand-off. Every
 * acknowledgement (PUBACK, HTTP 2xx) goes to the {@link SoakJournal} with the key of what it acknowledged.
 *
 * <p>The gateway is killed under it: devices reconnect by themselves ({@link PahoDevice}), and what they would
 * publish meanwhile is dropped, as a device without a buffer does; a pickup step that got no answer (connection
 * refused or cut, timeout, 5xx) is sent again with {@link ReconnectBackoff}'s waits for {@link #RETRY_FOR}, as an app
 * or an order system does, so a step committed before a kill but never answered is sent twice. A step the gateway refuses
 * (4xx) ends the pickup, unacknowledged. A check-in that got no answer is not retried: the shopper checks in anew.
 *
 * <p>Threads: one scheduler thread ticks the load and owns the simulated devices (boot, seq); Paho's and the HTTP
 * client's threads record acknowledgements and schedule retries.
 */
final class SoakLoad implements AutoCloseable {

    /** Work is started in whole units per tick, at the configured rates. */
    static final long TICK_MS = 100;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** Longer than a restart on a busy machine: a step is given up only when the gateway stays away. */
    static final Duration RETRY_FOR = Duration.ofSeconds(120);
    /** Pickups under way at once; at the bound no new one starts, and that is counted. */
    static final int MAX_OPEN_PICKUPS = 50;
    /** Checked-in shoppers whose tokens the readers tap: the latest ones. */
    static final int TAPPABLE_SESSIONS = 100;
    private static final long CONNECT_WAIT_MS = 30_000;
    private static final int SERVER_ERROR = 500;

    /** Per second: QoS 1 device events, check-ins, pickups started. */
    record Rates(double events, double checkIns, double pickups) {
    }

    private final StoreConfig store;
    private final SoakJournal journal;
    private final Rates rates;
    private final SplittableRandom rng;
    private final String runId;
    private final PlayStats stats = new PlayStats();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "soak-load");
        t.setDaemon(true);
        return t;
    });
    private final AppCheckIns app;
    private final PickupCalls pickup;
    private final String pickupPointId;
    private final Map<String, PahoDevice> connections = new HashMap<>();
    private final List<SimulatedDevice> readers = new ArrayList<>();
    private final List<SimulatedDevice> kiosks = new ArrayList<>();
    /** Guarded by itself. */
    private final Deque<RotatingAdvertiser> tappable = new ArrayDeque<>();
    private final AtomicInteger openPickups = new AtomicInteger();
    private final LongAdder sessions = new LongAdder();
    private final LongAdder steps = new LongAdder();
    private final LongAdder checkInsFailed = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder pickupsDone = new LongAdder();
    private final LongAdder pickupsEnded = new LongAdder();
    private final LongAdder pickupsSkipped = new LongAdder();
    /** Why the latest pickup ended before its hand-off: what to look at first when many do. */
    private final AtomicReference<String> lastEnd = new AtomicReference<>("none");
    // owned by the scheduler thread
    private double eventCredit;
    private double checkInCredit;
    private double pickupCredit;
    private long shoppers;
    private long orders;

    SoakLoad(StoreConfig store, String gatewayUri, URI api, String orderSystemToken, SoakJournal journal, Rates rates,
             long seed) throws MqttException {
        this.store = store;
        this.journal = journal;
        this.rates = rates;
        this.rng = new SplittableRandom(seed);
        // a new run is a new boot of every device and new shoppers and orders, whatever the data directory holds
        this.runId = Long.toString(System.currentTimeMillis(), 36);
        this.app = new AppCheckIns(api, store.storeId(), stats, orderSystemToken);
        this.pickup = new PickupCalls(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT).build(), api, orderSystemToken);
        this.pickupPointId = store.pickup().points().isEmpty() ? null : store.pickup().points().get(0).id();
        SplittableRandom boots = new SplittableRandom(seed ^ System.currentTimeMillis());
        for (Device d : store.devices()) {
            if (d.kind() != DeviceKind.NFC_READER && d.kind() != DeviceKind.KIOSK) {
                continue;
            }
            SimulatedDevice device = new SimulatedDevice(d, System.currentTimeMillis(), boots);
            (d.kind() == DeviceKind.NFC_READER ? readers : kiosks).add(device);
            connections.put(d.id(), new PahoDevice(d, store.storeId(), gatewayUri, stats, scheduler,
                    (id, command) -> { }, this::acknowledged));
        }
        if (kiosks.isEmpty()) {
            throw new IllegalArgumentException("the store has no kiosk to take feedback");
        }
    }

    /** Connects every device, waiting for the first attempts, then starts the load; returns at once. */
    void start() throws MqttException {
        List<IMqttToken> connecting = new ArrayList<>();
        for (PahoDevice device : connections.values()) {
            connecting.add(device.connect());
        }
        for (IMqttToken token : connecting) {
            try {
                token.waitForCompletion(CONNECT_WAIT_MS);
            } catch (MqttException e) {
                // the gateway is away (killed, restarting): the device keeps trying by itself
            }
        }
        scheduler.scheduleAtFixedRate(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        double perTick = TICK_MS / 1000.0;
        eventCredit += rates.events() * perTick;
        for (; eventCredit >= 1; eventCredit--) {
            publishEvent();
        }
        checkInCredit += rates.checkIns() * perTick;
        for (; checkInCredit >= 1; checkInCredit--) {
            checkIn();
        }
        pickupCredit += rates.pickups() * perTick;
        for (; pickupCredit >= 1 && pickupPointId != null; pickupCredit--) {
            startPickup();
        }
    }

    /** A reader taps a checked-in shopper's current touch token; with nobody to tap yet, a kiosk takes feedback. */
    private void publishEvent() {
        long now = System.currentTimeMillis();
        RotatingAdvertiser shopper = null;
        synchronized (tappable) {
            if (!tappable.isEmpty() && !readers.isEmpty() && rng.nextBoolean()) {
                shopper = List.copyOf(tappable).get(rng.nextInt(tappable.size()));
            }
        }
        SimulatedDevice device;
        DeviceEvent event;
        if (shopper != null) {
            device = readers.get(rng.nextInt(readers.size()));
            event = device.nextEvent(now).setNfcTap(NfcTap.newBuilder().setKind(NfcTap.TokenKind.TOKEN_KIND_SESSION)
                    .setToken(ByteString.copyFrom(shopper.touchTokenAt(now)))).build();
        } else {
            device = kiosks.get(rng.nextInt(kiosks.size()));
            event = device.nextEvent(now).setKioskInteraction(KioskInteraction.newBuilder()
                    .setFeedback(KioskInteraction.Feedback.newBuilder().setCsat(1 + rng.nextInt(5)))).build();
        }
        connections.get(device.device().id())
                .publish(new Outbound(device.device().id(), Outbound.EVENTS, 1, event.toByteArray()));
    }

    /** On a Paho thread: the gateway committed this event. */
    private void acknowledged(Outbound message) {
        try {
            DeviceEvent event = DeviceEvent.parseFrom(message.payload());
            journal.record(new Acknowledged.Event(event.getDeviceId(), event.getBootId(), event.getSeq()));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("the load published what it cannot read back", e);
        }
    }

    private void checkIn() {
        String shopper = "soak-" + runId + "-" + (++shoppers);
        app.checkIn(shopper, true).whenComplete((session, failure) -> {
            if (failure != null) {
                checkInsFailed.increment();
                return;
            }
            checkedIn(session);
            synchronized (tappable) {
                tappable.addLast(new RotatingAdvertiser(session.key(), session.rotationPeriod()));
                if (tappable.size() > TAPPABLE_SESSIONS) {
                    tappable.removeFirst();
                }
            }
        });
    }

    private void checkedIn(AppSession session) {
        journal.record(new Acknowledged.Session(session.sessionId()));
        sessions.increment();
    }

    /** An order made ready, its shopper checks in, links it, is on the way, arrives and is handed the order. */
    private void startPickup() {
        if (openPickups.get() >= MAX_OPEN_PICKUPS) {
            pickupsSkipped.increment();
            return;
        }
        openPickups.incrementAndGet();
        long n = ++orders;
        String orderId = "soak-" + runId + "-" + n;
        String customerRef = "soak-customer-" + runId + "-" + n;
        String code = "SOAK-" + runId + "-" + n;
        String shopper = "soak-" + runId + "-collector-" + n;
        retried(() -> pickup.ready(orderId, customerRef, code, pickupPointId))
                .thenRun(() -> stepped(orderId, "READY"))
                .thenCompose(v -> retried(() -> app.checkIn(shopper, true, customerRef)))
                .thenCompose(session -> {
                    checkedIn(session);
                    return retried(() -> pickup.link(session, orderId))
                            .thenCompose(v -> retried(() -> pickup.onMyWay(session, orderId)))
                            .thenRun(() -> stepped(orderId, "ON_THE_WAY"))
                            .thenCompose(v -> retried(() -> pickup.arrived(session, orderId)));
                })
                .thenRun(() -> stepped(orderId, "ARRIVED"))
                .thenCompose(v -> retried(() -> pickup.handOff(orderId)))
                .thenRun(() -> stepped(orderId, "HANDED_OFF"))
                .whenComplete((v, failure) -> {
                    openPickups.decrementAndGet();
                    if (failure == null) {
                        pickupsDone.increment();
                    } else {
                        pickupsEnded.increment();
                        lastEnd.set(String.valueOf(unwrapped(failure)));
                    }
                });
    }

    private void stepped(String orderId, String state) {
        journal.record(new Acknowledged.Step(orderId, state));
        steps.increment();
    }

    /** The call, sent again while it gets no answer or a 5xx, for {@link #RETRY_FOR}. */
    private <T> CompletableFuture<T> retried(Supplier<CompletableFuture<T>> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        attempt(call, result, 0, System.nanoTime() + RETRY_FOR.toNanos());
        return result;
    }

    private <T> void attempt(Supplier<CompletableFuture<T>> call, CompletableFuture<T> result, int attempt,
                             long deadlineNanos) {
        call.get().whenComplete((value, failure) -> {
            if (failure == null) {
                result.complete(value);
                return;
            }
            Throwable cause = unwrapped(failure);
            boolean unanswered = cause instanceof IOException
                    || cause instanceof AppCheckIns.ApiException api && api.status() >= SERVER_ERROR;
            if (unanswered && System.nanoTime() < deadlineNanos && !scheduler.isShutdown()) {
                retries.increment();
                scheduler.schedule(() -> attempt(call, result, attempt + 1, deadlineNanos),
                        ReconnectBackoff.delayMs(attempt, ThreadLocalRandom.current()), TimeUnit.MILLISECONDS);
            } else {
                result.completeExceptionally(cause);
            }
        });
    }

    /** What the load has done so far, one line. */
    String line() {
        return String.format(Locale.ROOT, "events acked=%d sent=%d dropped-offline=%d reconnects=%d | sessions=%d"
                        + " check-ins failed=%d | steps=%d pickups done=%d ended=%d open=%d skipped=%d retries=%d"
                        + " | last ended by: %s",
                stats.acked(), stats.sentQos1(), stats.droppedOffline(), stats.reconnects(), sessions.sum(),
                checkInsFailed.sum(), steps.sum(), pickupsDone.sum(), pickupsEnded.sum(), openPickups.get(),
                pickupsSkipped.sum(), retries.sum(), lastEnd.get());
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        connections.values().forEach(PahoDevice::disconnect);
    }

    /** What failed, without the CompletionException a dependent stage wraps it in. */
    private static Throwable unwrapped(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
