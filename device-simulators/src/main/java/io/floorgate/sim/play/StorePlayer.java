package io.floorgate.sim.play;

import io.floorgate.config.Device;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import io.floorgate.proto.v1.DeviceCommand;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttException;

/**
 * Plays a store against a gateway: connects every device with Paho, then ticks the simulation at
 * its fixed simulated step, paced to wall time by the speed factor, and hands each tick's messages
 * to the devices. The simulation itself never sees the wall clock, so pacing hiccups change when
 * messages leave, not what they are. Commands from the gateway are carried out on the tick thread, at
 * the next tick; outages, when asked for, are played at simulated times.
 */
public final class StorePlayer {

    public static final Duration RATE_LINE_INTERVAL = Duration.ofSeconds(5);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);
    private static final long CONNECT_WAIT_MS = 15_000;
    /** How long a simulated device takes to restart, wall time. */
    static final long REBOOT_PAUSE_MS = 2_000;

    /** A command as it arrived on a Paho thread, waiting for the tick thread. */
    private record Received(String deviceId, DeviceCommand command) {
    }

    private final PlayOptions options;
    private final PrintWriter out;
    private final PlayStats stats = new PlayStats();
    private final Optional<AppCheckIns> checkIns;
    private final Optional<Outages> outages;
    private final Queue<Received> commands = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService deviceScheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "play-devices");
        t.setDaemon(true);
        return t;
    });
    private volatile StoreSimulation simulation;

    public StorePlayer(PlayOptions options, PrintWriter out) {
        this(options, out, Optional.empty());
    }

    public StorePlayer(PlayOptions options, PrintWriter out, Optional<Outages> outages) {
        this.options = options;
        this.out = out;
        this.outages = outages;
        this.checkIns = options.api().map(api -> new AppCheckIns(api, options.store().storeId(), stats,
                options.orderSystemToken()));
    }

    /** The shoppers' app sessions, when they check in over HTTP. */
    public Optional<AppCheckIns> checkIns() {
        return checkIns;
    }

    public PlayStats stats() {
        return stats;
    }

    /** Plays until the duration has been simulated or {@code stop} says so; blocks the calling thread. */
    public PlayResult run(BooleanSupplier stop) throws MqttException, InterruptedException {
        Map<String, PahoDevice> devices = connectAll();
        // the gateway resolves advertised ids by its wall clock, whatever the simulation's speed; and the
        // simulated clock starts now, not before connecting, so that at speed 1 truth and gateway share one clock
        // without the app API there is no order system to mark orders ready, but shoppers still walk to the counter
        Phones phones = checkIns.isEmpty() ? Phones.OFFLINE
                : new Phones(checkIns.map(ShopperApp.class::cast), options.locationConsentShare(),
                        Optional.of(System::currentTimeMillis), options.pickupShare());
        long startEpochMs = checkIns.isEmpty() ? options.startEpochMs() : System.currentTimeMillis();
        StoreSimulation sim = new StoreSimulation(options.store(), options.seed(), options.shoppers(),
                startEpochMs, PathLossModel.SHOP_FLOOR, options.truth(), phones);
        simulation = sim;
        ScheduledExecutorService rateLine = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "play-rate-line");
            t.setDaemon(true);
            return t;
        });
        rateLine.scheduleAtFixedRate(new RateLine(), RATE_LINE_INTERVAL.toMillis(), RATE_LINE_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
        int disconnected;
        try {
            long tickNanos = (long) (TimeUnit.MILLISECONDS.toNanos(StoreSimulation.TICK_MS) / options.speed());
            long endMs = options.duration() == null ? Long.MAX_VALUE : options.duration().toMillis();
            long start = System.nanoTime();
            for (long tick = 0; sim.simulatedMs() < endMs && !stop.getAsBoolean(); tick++) {
                long due = start + tick * tickNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                checkIns.ifPresent(app -> app.drainIssued(sim::issue));
                obeyCommands(sim, devices);
                outages.flatMap(o -> o.at(sim.simulatedMs())).ifPresent(step -> playOutage(step, devices));
                for (Outbound message : sim.tick()) {
                    devices.get(message.deviceId()).publish(message);
                }
            }
            drain(devices.values());
            if (checkIns.isPresent()) {
                checkOutEveryone(checkIns.get());
            }
            disconnected = (int) devices.values().stream().filter(d -> !d.isConnected() && !d.isDown()).count();
        } finally {
            rateLine.shutdownNow();
            devices.values().forEach(PahoDevice::disconnect);
            deviceScheduler.shutdownNow();
        }
        return new PlayResult(sim.simulatedMs(), sim.shoppersEntered(), stats.sentQos0(), stats.sentQos1(),
                stats.acked(), stats.errors(), disconnected, stats.checkedIn(), stats.apiErrors());
    }

    private Map<String, PahoDevice> connectAll() throws MqttException, InterruptedException {
        Map<String, PahoDevice> devices = new HashMap<>();
        List<IMqttToken> connecting = new ArrayList<>();
        for (Device d : options.store().devices()) {
            PahoDevice device = new PahoDevice(d, options.store().storeId(), options.gatewayUri(), stats,
                    deviceScheduler, (id, command) -> commands.add(new Received(id, command)), acked -> { });
            devices.put(d.id(), device);
            connecting.add(device.connect());
        }
        for (IMqttToken token : connecting) {
            token.waitForCompletion(CONNECT_WAIT_MS);
        }
        out.printf("connected %d devices of store %s to %s%n", devices.size(), options.store().storeId(),
                options.gatewayUri());
        out.flush();
        return devices;
    }

    /** On the tick thread: what the gateway asked for since the last tick, carried out now. */
    private void obeyCommands(StoreSimulation sim, Map<String, PahoDevice> devices) {
        for (Received received = commands.poll(); received != null; received = commands.poll()) {
            Obeyed obeyed = sim.obey(received.deviceId(), received.command());
            out.println(obeyed.line());
            out.flush();
            PahoDevice device = devices.get(received.deviceId());
            if (obeyed.reboot()) {
                device.reboot(obeyed.answer(), REBOOT_PAUSE_MS);
            } else {
                device.publish(obeyed.answer());
            }
        }
    }

    private void playOutage(Outages.Step step, Map<String, PahoDevice> devices) {
        if (step instanceof Outages.Step.Drop drop) {
            out.printf("outage: %s drops off the network for %d s (simulated)%n", drop.deviceId(),
                    outages.orElseThrow().lengthMs() / 1000);
            devices.get(drop.deviceId()).dropConnection();
        } else if (step instanceof Outages.Step.Restore restore) {
            out.printf("outage over: %s reconnects%n", restore.deviceId());
            devices.get(restore.deviceId()).comeBack();
        }
        out.flush();
    }

    /** Waits, bounded, for queued and in-flight QoS 1 messages to be acknowledged before disconnecting. */
    private void drain(java.util.Collection<PahoDevice> devices) throws InterruptedException {
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline
                && (stats.inflight() > 0 || devices.stream().anyMatch(d -> d.queuedCount() > 0))) {
            Thread.sleep(50);
        }
    }

    /** Shoppers still in the store at the end leave with it, so their sessions do not linger until they expire. */
    private static void checkOutEveryone(AppCheckIns app) throws InterruptedException {
        try {
            app.checkOutEveryone().get(DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // counted as API errors by the check-ins themselves
        }
    }

    /** The live line: rates over the last interval, in-flight now, errors so far. */
    private final class RateLine implements Runnable {
        private long lastNanos = System.nanoTime();
        private long lastQos0;
        private long lastQos1;
        private long lastAcked;

        @Override
        public void run() {
            long now = System.nanoTime();
            double seconds = Math.max(1e-3, (now - lastNanos) / 1e9);
            long qos0 = stats.sentQos0();
            long qos1 = stats.sentQos1();
            long acked = stats.acked();
            StoreSimulation sim = simulation;
            long simS = sim.simulatedMs() / 1000;
            out.printf(Locale.ROOT, "t=%02d:%02d:%02d shoppers=%d sent/s qos0=%.1f qos1=%.1f acked/s=%.1f in-flight=%d errors=%d"
                            + " checked-in=%d api-errors=%d dropped-offline=%d reconnects=%d%n",
                    simS / 3600, simS / 60 % 60, simS % 60, sim.shoppersInStore(), (qos0 - lastQos0) / seconds,
                    (qos1 - lastQos1) / seconds, (acked - lastAcked) / seconds, stats.inflight(), stats.errors(),
                    stats.checkedIn(), stats.apiErrors(), stats.droppedOffline(), stats.reconnects());
            out.flush();
            lastNanos = now;
            lastQos0 = qos0;
            lastQos1 = qos1;
            lastAcked = acked;
        }
    }
}
