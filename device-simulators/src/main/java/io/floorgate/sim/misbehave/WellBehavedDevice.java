package io.floorgate.sim.misbehave;

import io.floorgate.config.Device;
import io.floorgate.sim.load.LatencyHistogram;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttException;

/**
 * The control: one device that publishes a valid QoS 1 tap every interval while the cases run, and
 * times every PUBACK. The gateway must keep acknowledging it whatever the others do.
 */
final class WellBehavedDevice implements AutoCloseable {

    static final long INTERVAL_MS = 200;

    private final Probe probe;
    private final Device device;
    private final long bootId = Probe.freshBootId();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "well-behaved-device");
        t.setDaemon(true);
        return t;
    });
    private final LatencyHistogram latencies = new LatencyHistogram();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private MqttAsyncClient client;

    WellBehavedDevice(Probe probe, Device device) {
        this.probe = probe;
        this.device = device;
    }

    void start() throws MqttException {
        client = probe.connect(device);
        timer.scheduleAtFixedRate(this::publish, 0, INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    private void publish() {
        long start = System.nanoTime();
        try {
            byte[] event = probe.tap(device, bootId, sent.incrementAndGet()).build().toByteArray();
            client.publish(probe.eventsTopic(device), event, 1, false, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    acked.incrementAndGet();
                    synchronized (latencies) {
                        latencies.record((System.nanoTime() - start) / 1_000);
                    }
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    failed.incrementAndGet();
                }
            });
        } catch (MqttException e) {
            failed.incrementAndGet();
        }
    }

    /** Stops publishing, waits for outstanding PUBACKs, and reports. */
    ControlReport stop() throws InterruptedException {
        timer.shutdown();
        timer.awaitTermination(1, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + Probe.ACK_TIMEOUT.toNanos();
        while (acked.get() + failed.get() < sent.get() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        synchronized (latencies) {
            return new ControlReport(device.id(), sent.get(), acked.get(), failed.get(), latencies.percentileMicros(50) / 1e3,
                    latencies.percentileMicros(99) / 1e3, latencies.maxMicros() / 1e3, client.isConnected());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        if (client != null) {
            Probe.close(client);
        }
    }
}
