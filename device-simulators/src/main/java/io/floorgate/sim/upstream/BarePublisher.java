package io.floorgate.sim.upstream;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * The benchmark's baseline: what a bare Paho client (MQTT 3.1.1, QoS 1, in-flight window W) achieves publishing the
 * same envelopes the gateway would send, with no outbox behind it. Encodes each envelope as it goes, as a real
 * publisher does. The window is this class's semaphore; Paho's own cap is set above it so it never refuses a
 * publish while an acknowledgement is still being handed back.
 */
final class BarePublisher {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Paho decrements its in-flight count around the ack callback: room for the acks being handed back. */
    private static final int PAHO_INFLIGHT_SLACK = 16;

    record Result(long messages, int inflight, double seconds) {

        double perSecond() {
            return messages / seconds;
        }

        String line() {
            return String.format("published=%d inflight=%d seconds=%.2f ackedPerS=%.0f", messages, inflight, seconds,
                    perSecond());
        }
    }

    private BarePublisher() {
    }

    static Result publish(URI broker, String chainId, String storeId, long messages, int bodyBytes, int inflight,
                          Duration timeout) throws MqttException, InterruptedException {
        BenchBodies bodies = new BenchBodies(bodyBytes);
        String topic = new UpstreamTopic(chainId, storeId, UpstreamTopic.Kind.SUMMARIES).name();
        Semaphore window = new Semaphore(inflight);
        AtomicLong acked = new AtomicLong();
        CountDownLatch allAcked = new CountDownLatch(1);
        MqttAsyncClient client = new MqttAsyncClient(broker.toString(), "floorgate-bench-bare-" + storeId,
                new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                allAcked.countDown();
            }

            @Override
            public void messageArrived(String t, MqttMessage message) {
                // publishes only
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
                window.release();
                if (acked.incrementAndGet() == messages) {
                    allAcked.countDown();
                }
            }
        });
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(true);
        options.setMaxInflight(inflight + PAHO_INFLIGHT_SLACK);
        client.connect(options).waitForCompletion(CONNECT_TIMEOUT.toMillis());
        try {
            long start = System.nanoTime();
            for (long n = 1; n <= messages; n++) {
                window.acquire();
                client.publish(topic, bodies.envelope(chainId, storeId, n).toByteArray(), 1, false);
            }
            if (!allAcked.await(timeout.toMillis(), TimeUnit.MILLISECONDS) || acked.get() < messages) {
                throw new IllegalStateException("only " + acked.get() + " of " + messages + " acknowledged");
            }
            return new Result(messages, inflight, (System.nanoTime() - start) / 1e9);
        } finally {
            client.disconnect().waitForCompletion(CONNECT_TIMEOUT.toMillis());
            client.close();
        }
    }
}
