package io.floorgate.gateway.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A kiosk (real Paho, MQTT 3.1.1) that publishes QoS 1 feedback events one after another while a test does harm
 * beside it, and measures each publish's time to PUBACK. The test asserts it kept being acknowledged; the latencies
 * are logged, never asserted.
 */
public final class WellBehavedDevice implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WellBehavedDevice.class);
    private static final long BOOT = 7;
    private static final long PAUSE_MS = 20;
    private static final int MORE_ACKS_AT_THE_END = 5;
    private static final int PERCENT = 100;
    private static final int P99 = 99;

    private final TestDevice kiosk;
    private final Thread publisher;
    private final AtomicLong acked = new AtomicLong();
    private final ConcurrentLinkedQueue<Long> latenciesNanos = new ConcurrentLinkedQueue<>();
    private volatile Throwable failure;
    private volatile boolean stop;

    private WellBehavedDevice(TestDevice kiosk) {
        this.kiosk = kiosk;
        this.publisher = new Thread(this::publish, "well-behaved-kiosk");
    }

    public static WellBehavedDevice start(RunningGateway gw) throws Exception {
        WellBehavedDevice device = new WellBehavedDevice(TestDevice.connect(gw.mqttUri(), TestStore.KIOSK));
        device.publisher.start();
        return device;
    }

    private void publish() {
        try {
            for (long seq = 1; !stop; seq++) {
                long sent = System.nanoTime();
                kiosk.publish("events", Events.feedback(TestStore.KIOSK, BOOT, seq).build(), 1).waitForCompletion(10_000);
                latenciesNanos.add(System.nanoTime() - sent);
                acked.incrementAndGet();
                Thread.sleep(PAUSE_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            failure = e;
        }
    }

    /**
     * Waits for a few more acknowledgements than there were now, stops, and asserts the device was never
     * disconnected or left unacknowledged; logs its publish-to-PUBACK latency over the whole test.
     */
    public void assertKeptBeingAcknowledged(String during) throws Exception {
        long before = acked.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> acked.get() >= before + MORE_ACKS_AT_THE_END
                || failure != null);
        stop = true;
        publisher.join();
        assertThat(failure).as("the well-behaved kiosk's publishing during " + during).isNull();
        assertThat(kiosk.isConnected()).as("the well-behaved kiosk is still connected").isTrue();
        List<Long> sorted = new ArrayList<>(latenciesNanos);
        Collections.sort(sorted);
        LOG.info("Well-behaved kiosk during {}: {} QoS 1 events acknowledged, publish->PUBACK p50 {} ms, p99 {} ms,"
                        + " max {} ms", during, sorted.size(), millis(sorted, PERCENT / 2), millis(sorted, P99),
                millis(sorted, PERCENT));
    }

    private static String millis(List<Long> sorted, int percentile) {
        if (sorted.isEmpty()) {
            return "-";
        }
        int index = Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * percentile / 100.0) - 1);
        return String.format(java.util.Locale.ROOT, "%.1f",
                sorted.get(Math.max(0, index)) / (double) TimeUnit.MILLISECONDS.toNanos(1));
    }

    @Override
    public void close() throws Exception {
        stop = true;
        publisher.join();
        kiosk.close();
    }
}
