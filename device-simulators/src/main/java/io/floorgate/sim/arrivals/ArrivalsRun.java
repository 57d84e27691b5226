package io.floorgate.sim.arrivals;

import io.floorgate.config.Device;
import io.floorgate.config.DeviceKind;
import io.floorgate.config.Pickup;
import io.floorgate.sim.StoreSource;
import io.floorgate.sim.play.AppCheckIns;
import io.floorgate.sim.play.AppSession;
import io.floorgate.sim.play.Outbound;
import io.floorgate.sim.play.PickupCalls;
import io.floorgate.sim.play.PlayStats;
import io.floorgate.sim.play.RotatingAdvertiser;
import io.floorgate.sim.score.StaffStream;
import io.floorgate.sim.wire.MqttFrames;
import io.floorgate.sim.wire.RawMqttClient;
import io.floorgate.sim.wire.RawMqttConnection;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * Drives one arrivals run against a gateway: connects as the pickup zone's receivers, opens the staff stream,
 * readies the shoppers (check-in with location consent and a customer reference, the order system marks an order
 * READY for that customer, the app links it), then walks them in one by one (see {@link ArrivalDriver}). Blocks
 * the calling thread for the run. Sessions and orders are left as they end (open; ARRIVED): a benchmark's fixture.
 */
public final class ArrivalsRun {

    private static final int KEEP_ALIVE_S = 60;
    private static final long CONNECT_TIMEOUT_S = 30;
    /** API calls in flight while the shoppers are readied: enough to be quick, few enough not to be a load test. */
    private static final int READYING_CONCURRENCY = 16;
    private static final Duration READYING_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);
    /** Beyond the longest run: the last notification's way back and the loop's turn. */
    private static final Duration FINISH_SLACK = Duration.ofSeconds(5);

    private ArrivalsRun() {
    }

    public static ArrivalsResult run(ArrivalsOptions options)
            throws InterruptedException, ExecutionException, TimeoutException {
        Pickup.PickupPoint point = pickupPoint(options);
        List<Device> devices = options.store().devices().stream()
                .filter(d -> d.kind() == DeviceKind.BLE_RECEIVER && d.zone().equals(point.zone())).toList();
        if (devices.isEmpty()) {
            throw new IllegalArgumentException("pickup point " + point.id() + "'s zone " + point.zone()
                    + " has no BLE receiver to hear arrivals");
        }
        // distinguishes this run's orders and customers from an earlier run's against the same gateway
        String runId = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
        List<String> orderIds = IntStream.range(0, options.arrivals()).mapToObj(i -> "arrival-" + runId + "-" + i)
                .toList();
        AtomicInteger disconnected = new AtomicInteger();
        try (RawMqttClient mqtt = new RawMqttClient(options.broker(), 1)) {
            List<RawMqttConnection> connections = connect(mqtt, devices, disconnected);
            List<PickupZoneReceiver> receivers = new ArrayList<>();
            for (int i = 0; i < devices.size(); i++) {
                String deviceId = devices.get(i).id();
                receivers.add(new PickupZoneReceiver(connections.get(i), deviceId,
                        StoreSource.topic(options.store(), deviceId, Outbound.EVENTS),
                        ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE)));
            }
            // one event-loop thread: every connection, hence every send and the timing, is on this loop
            ArrivalDriver driver = new ArrivalDriver(connections.get(0).channel().eventLoop(), receivers,
                    new ArrivalLatencies(orderIds), options.resendEvery(), options.timeout());
            ArrivalsResult result;
            try (StaffStream ignored = StaffStream.open(options.api(), options.systemToken(), driver::notified)) {
                List<ArrivingShopper> shoppers = ready(options, runId, orderIds, point);
                result = driver.run(shoppers, options.interval())
                        .get(options.longestRun().plus(FINISH_SLACK).toMillis(), TimeUnit.MILLISECONDS);
            }
            if (disconnected.get() > 0) {
                throw new IllegalStateException(disconnected.get() + " pickup-zone receiver(s) disconnected during"
                        + " the run: their sightings stopped, the figures do not hold");
            }
            connections.forEach(c -> c.channel().writeAndFlush(MqttFrames.disconnect(c.channel().alloc())));
            return result;
        }
    }

    private static Pickup.PickupPoint pickupPoint(ArrivalsOptions options) {
        List<Pickup.PickupPoint> points = options.store().pickup().points();
        return points.stream().filter(p -> options.pickupPointId() == null || p.id().equals(options.pickupPointId()))
                .findFirst().orElseThrow(() -> new IllegalArgumentException(options.pickupPointId() == null
                        ? "the store has no pickup point"
                        : "no pickup point " + options.pickupPointId() + "; the store has "
                        + points.stream().map(Pickup.PickupPoint::id).toList()));
    }

    private static List<RawMqttConnection> connect(RawMqttClient mqtt, List<Device> devices, AtomicInteger disconnected)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<CompletableFuture<RawMqttConnection>> connecting = new ArrayList<>();
        for (Device device : devices) {
            connecting.add(mqtt.connect(device.id(), device.id(), device.secret(), KEEP_ALIVE_S, null,
                    new RawMqttConnection.Handler() {
                        @Override
                        public void closed() {
                            disconnected.incrementAndGet();
                        }
                    }));
        }
        CompletableFuture.allOf(connecting.toArray(CompletableFuture[]::new)).get(CONNECT_TIMEOUT_S, TimeUnit.SECONDS);
        return connecting.stream().map(CompletableFuture::join).toList();
    }

    /** Readies every shopper, a bounded number at a time; fails with the first call the gateway refused. */
    private static List<ArrivingShopper> ready(ArrivalsOptions options, String runId, List<String> orderIds,
                                               Pickup.PickupPoint point)
            throws InterruptedException, ExecutionException, TimeoutException {
        AppCheckIns app = new AppCheckIns(options.api(), options.store().storeId(), new PlayStats(),
                options.systemToken());
        PickupCalls pickup = new PickupCalls(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(HTTP_TIMEOUT).build(),
                options.api(), options.systemToken());
        Semaphore inFlight = new Semaphore(READYING_CONCURRENCY);
        List<CompletableFuture<ArrivingShopper>> readied = new ArrayList<>();
        for (int i = 0; i < orderIds.size(); i++) {
            inFlight.acquire();
            String orderId = orderIds.get(i);
            String customerRef = "arrivals-" + runId + "-" + i;
            CompletableFuture<Void> marked = pickup.ready(orderId, customerRef, "A" + runId + "-" + i, point.id());
            CompletableFuture<AppSession> checkedIn = app.checkIn("arrival-" + i, true, customerRef);
            CompletableFuture<ArrivingShopper> shopper = marked.thenCombine(checkedIn, (ok, session) -> session)
                    .thenCompose(session -> pickup.link(session, orderId).thenApply(linked -> new ArrivingShopper(
                            orderId, new RotatingAdvertiser(session.key(), session.rotationPeriod()))));
            shopper.whenComplete((s, failure) -> inFlight.release());
            readied.add(shopper);
        }
        CompletableFuture.allOf(readied.toArray(CompletableFuture[]::new))
                .get(READYING_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return readied.stream().map(CompletableFuture::join).toList();
    }
}
