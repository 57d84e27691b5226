package io.floorgate.sim.load;

import io.floorgate.config.Device;
import io.floorgate.config.DeviceKind;
import io.floorgate.sim.MetricsScrape;
import io.floorgate.sim.checkin.SessionKey;
import io.floorgate.sim.checkin.SessionKeyFile;
import io.floorgate.sim.StoreSource;
import io.floorgate.sim.play.Outbound;
import io.floorgate.sim.wire.MqttFrames;
import io.floorgate.sim.wire.PublishEncoder;
import io.floorgate.sim.wire.RawMqttClient;
import io.floorgate.sim.wire.RawMqttConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/** Drives one load run: connect, warm up, measure a window, disconnect. Blocks the calling thread for the run. */
public final class LoadRun {

    private static final int KEEP_ALIVE_S = 60;
    private static final long CONNECT_TIMEOUT_S = 30;

    private LoadRun() {
    }

    public static LoadResult run(LoadOptions options) throws InterruptedException, ExecutionException, TimeoutException {
        DeviceKind kind = options.qos() == 0 ? DeviceKind.BLE_RECEIVER : DeviceKind.NFC_READER;
        List<Device> devices = options.store().devices().stream().filter(d -> d.kind() == kind)
                .filter(d -> options.exceptZone() == null || !d.zone().equals(options.exceptZone()))
                .limit(options.connections() == 0 ? Long.MAX_VALUE : options.connections()).toList();
        if (devices.isEmpty() || devices.size() < options.connections()) {
            throw new IllegalArgumentException("QoS " + options.qos() + " load connects as " + kind
                    + " devices; the store has " + devices.size() + (options.exceptZone() == null ? ""
                    : " outside zone " + options.exceptZone()) + ", " + options.connections() + " wanted");
        }
        double perConnectionRate = options.reportEvery() != null
                ? (double) TimeUnit.SECONDS.toNanos(1) / options.reportEvery().toNanos()
                : options.ratePerSecond() / devices.size();
        List<SessionKey> sessions = options.sightingsFrom() == null ? List.of()
                : SessionKeyFile.read(options.sightingsFrom());
        Counted counted = sessions.isEmpty() ? Counted.ACCEPTED : Counted.LOCATED;
        AtomicInteger disconnected = new AtomicInteger();
        AtomicLong delivered = new AtomicLong();
        try (RawMqttClient client = new RawMqttClient(options.broker(), options.threads());
             RawMqttClient subscriberClient = new RawMqttClient(options.broker(), 1)) {
            List<LoadConnection> loads = new ArrayList<>();
            List<CompletableFuture<RawMqttConnection>> connecting = new ArrayList<>();
            int payloadBytes = options.payloadBytes();
            for (Device device : devices) {
                // a fresh boot id per run: the gateway remembers (device, boot, seq) across runs and restarts
                long bootId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
                String topic = StoreSource.topic(options.store(), device.id(), Outbound.EVENTS);
                PublishEncoder encoder = sessions.isEmpty()
                        ? PublishEncoder.forDevice(topic, options.qos(), device.id(), bootId, options.payloadBytes())
                        : PublishEncoder.forSightings(topic, device.id(), bootId, SessionSightings.batch(sessions,
                                devices.indexOf(device), devices.size(), options.sightingsPerBatch(), System.currentTimeMillis()));
                // sightings of sessions are as long as their batch, whatever --payload-bytes says
                payloadBytes = encoder.payloadSize(1, System.currentTimeMillis());
                LoadConnection load = new LoadConnection(encoder, options.qos(), options.inflight(), perConnectionRate);
                loads.add(load);
                connecting.add(client.connect(device.id(), options.anonymous() ? null : device.id(),
                        options.anonymous() ? null : device.secret(), KEEP_ALIVE_S, null, new Counting(load, disconnected)));
            }
            CompletableFuture.allOf(connecting.toArray(CompletableFuture[]::new)).get(CONNECT_TIMEOUT_S, TimeUnit.SECONDS);
            RawMqttConnection subscriber = null;
            if (options.countSubscriber()) {
                subscriber = subscriberClient.connect("load-subscriber-" + ProcessHandle.current().pid(), null, null,
                        KEEP_ALIVE_S, null, new RawMqttConnection.Handler() {
                            @Override
                            public void delivered() {
                                delivered.incrementAndGet();
                            }
                        }).get(CONNECT_TIMEOUT_S, TimeUnit.SECONDS);
                subscriber.channel().writeAndFlush(MqttFrames.subscribe(subscriber.channel().alloc(), 1,
                        "store/#", 0)).sync();
            }
            for (int i = 0; i < loads.size(); i++) {
                loads.get(i).start(connecting.get(i).get());
            }
            MetricsScrape metrics = options.countMetrics() == null ? null : new MetricsScrape(options.countMetrics());
            Thread.sleep(options.warmup().toMillis());

            double acceptedBefore = counted.read(metrics);
            long deliveredBefore = delivered.get();
            long startNanos = System.nanoTime();
            LoadConnection.Counts before = total(loads, true);
            Thread.sleep(options.duration().toMillis());
            LoadConnection.Counts after = total(loads, false);
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            long deliveredAfter = delivered.get();

            LatencyHistogram latencies = new LatencyHistogram();
            for (LoadConnection load : loads) {
                latencies.add(load.stop().get());
            }
            // the gateway commits in batches: let the last window's accepted counts reach /metrics
            double acceptedAfter = metrics == null ? 0 : settled(counted, metrics);
            double countedPerS = -1;
            String countedBy = "none";
            if (subscriber != null) {
                countedPerS = (deliveredAfter - deliveredBefore) / seconds;
                countedBy = "subscriber";
            } else if (metrics != null) {
                countedPerS = (acceptedAfter - acceptedBefore) / seconds;
                countedBy = counted.label;
            }
            int dropped = disconnected.get();
            for (int i = 0; i < loads.size(); i++) {
                RawMqttConnection c = connecting.get(i).get();
                c.channel().writeAndFlush(MqttFrames.disconnect(c.channel().alloc()));
            }
            return new LoadResult(options.qos(), devices.size(), payloadBytes, seconds,
                    (after.sent() - before.sent()) / seconds, (after.acked() - before.acked()) / seconds, countedPerS,
                    countedBy, latencies.percentileMicros(50) / 1000.0, latencies.percentileMicros(99) / 1000.0,
                    latencies.maxMicros() / 1000.0, latencies.count(), dropped);
        }
    }

    private static LoadConnection.Counts total(List<LoadConnection> loads, boolean record)
            throws InterruptedException, ExecutionException {
        long sent = 0;
        long acked = 0;
        for (LoadConnection load : loads) {
            LoadConnection.Counts c = load.snapshot(record).get();
            sent += c.sent();
            acked += c.acked();
        }
        return new LoadConnection.Counts(sent, acked);
    }

    /**
     * What the gateway's /metrics says was done with the load: events accepted, or sightings located.
     *
     * @param label       how the result line names it
     * @param fromMetrics the count, from the metrics page's text
     */
    private record Counted(String label, ToDoubleFunction<String> fromMetrics) {

        static final Counted ACCEPTED = new Counted("accepted",
                text -> MetricsScrape.sum(text, "floorgate_ingest_accepted_total", Map.of("channel", Outbound.EVENTS)));

        /** Readings of checked-in shoppers the gateway's zone estimator took in (those of dropped batches not). */
        static final Counted LOCATED = new Counted("located",
                text -> MetricsScrape.sum(text, "floorgate_location_readings_total", Map.of()));

        double read(MetricsScrape metrics) {
            if (metrics == null) {
                return 0;
            }
            return metrics.fetch().map(fromMetrics::applyAsDouble).orElseThrow(
                    () -> new IllegalStateException("cannot read the gateway's metrics"));
        }
    }

    /** Reads the counter until two reads 200 ms apart agree (or a second has passed). */
    private static double settled(Counted counted, MetricsScrape metrics) throws InterruptedException {
        double last = counted.read(metrics);
        for (int i = 0; i < 5; i++) {
            Thread.sleep(200);
            double now = counted.read(metrics);
            if (now == last) {
                break;
            }
            last = now;
        }
        return last;
    }

    /** Forwards to the load connection and counts connections that drop during the run. */
    private record Counting(LoadConnection load, AtomicInteger disconnected) implements RawMqttConnection.Handler {
        @Override
        public void puback(int packetId) {
            load.puback(packetId);
        }

        @Override
        public void canWrite() {
            load.canWrite();
        }

        @Override
        public void closed() {
            disconnected.incrementAndGet();
            load.closed();
        }
    }
}
