package io.floorgate.sim.play;

import io.floorgate.config.Device;
import io.floorgate.proto.v1.DeviceCommand;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * One simulated device's MQTT connection: an Eclipse Paho async client with a bounded in-flight
 * window. Publishing never blocks the caller: a message that does not fit the window waits in a
 * bounded queue, drained as PUBACKs arrive; when the queue is full the message is dropped and
 * counted as an error. After every connect it subscribes to its commands topic and hands each
 * command to the player. A connection lost unexpectedly, whatever the cause (the gateway gone, the
 * network, or another connection taking over the client id [MQTT-3.1.4-2]), is tried again with
 * {@link ReconnectBackoff}, as firmware does; the backoff starts over only once a connection has
 * stayed up for a while, so two connections fighting over one client id back off instead of
 * taking it from each other twice a second. While the device is not connected what it
 * would publish is dropped and counted, as a device without a buffer loses it. Paho's own threads
 * and the player's scheduler call back into it.
 */
public final class PahoDevice {

    /** QoS 1 messages on the wire per device; a store device rarely has more than a few. */
    static final int MAX_INFLIGHT = 64;
    /** Messages waiting for the window; beyond it the device is hopelessly behind and drops. */
    static final int MAX_QUEUED = 1_000;
    private static final int KEEP_ALIVE_S = 60;
    private static final int CONNECT_TIMEOUT_S = 10;
    private static final long DISCONNECT_QUIESCE_MS = 1_000;
    private static final long DISCONNECT_WAIT_MS = 2_000;
    private static final String OFFLINE = "offline";
    private static final String COMMANDS = "commands";

    /** Whether the device wants to be connected, and whether it is. */
    private enum Link {
        CONNECTING, ONLINE, RECONNECTING,
        /** Off on purpose: an outage the player plays, or a reboot; it comes back when told. */
        DOWN,
        CLOSED
    }

    private final Device device;
    private final String topicPrefix;
    private final MqttAsyncClient client;
    private final MqttConnectOptions options;
    private final PlayStats stats;
    private final ScheduledExecutorService scheduler;
    private final Deque<Outbound> queued = new ArrayDeque<>();
    private final IMqttActionListener onAck;
    /** QoS 0 messages also hold a slot in Paho's window until written; their completion frees it. */
    private final IMqttActionListener onWritten;
    /** Guarded by {@code this}. */
    private Link link = Link.CONNECTING;
    /** Published once connected again: a reboot's answer, from the new boot. Guarded by {@code this}. */
    private Outbound afterConnect;
    /** The retry the next loss starts from, and when the current connection came up. Guarded by {@code this}. */
    private int nextAttempt;
    private long onlineSinceNanos;

    /**
     * @param commands what the gateway commands, with the device's id, on a Paho thread
     * @param acked    each QoS 1 message the gateway acknowledged, on a Paho thread
     */
    public PahoDevice(Device device, String storeId, String gatewayUri, PlayStats stats,
                      ScheduledExecutorService scheduler, BiConsumer<String, DeviceCommand> commands,
                      Consumer<Outbound> acked) throws MqttException {
        this.device = device;
        this.topicPrefix = "store/" + storeId + "/devices/" + device.id() + "/";
        this.client = new MqttAsyncClient(gatewayUri, device.id(), new MemoryPersistence());
        this.stats = stats;
        this.scheduler = scheduler;
        this.options = new MqttConnectOptions();
        options.setUserName(device.id());
        options.setPassword(device.secret().toCharArray());
        options.setCleanSession(true);
        // without a fixed version Paho retries a refused 3.1.1 CONNECT as 3.1, and the gateway counts two refusals
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setKeepAliveInterval(KEEP_ALIVE_S);
        options.setConnectionTimeout(CONNECT_TIMEOUT_S);
        options.setMaxInflight(MAX_INFLIGHT);
        options.setWill(topicPrefix + Outbound.STATUS, OFFLINE.getBytes(StandardCharsets.UTF_8), 1, false);
        this.onAck = new IMqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                stats.acked.increment();
                stats.inflight.decrementAndGet();
                acked.accept((Outbound) token.getUserContext());
                drain();
            }

            @Override
            public void onFailure(IMqttToken token, Throwable e) {
                stats.errors.increment();
                stats.inflight.decrementAndGet();
                drain();
            }
        };
        this.onWritten = new IMqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                drain();
            }

            @Override
            public void onFailure(IMqttToken token, Throwable e) {
                stats.errors.increment();
                drain();
            }
        };
        client.setCallback(new MqttCallbackExtended() {
            @Override
            public void connectComplete(boolean reconnect, String serverUri) {
                onConnected();
            }

            @Override
            public void connectionLost(Throwable cause) {
                onConnectionLost();
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                try {
                    commands.accept(device.id(), DeviceCommand.parseFrom(message.getPayload()));
                } catch (InvalidProtocolBufferException e) {
                    stats.errors.increment();
                }
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
                // each publish has its own listener
            }
        });
    }

    public String id() {
        return device.id();
    }

    /**
     * The first connection; its token says how the first attempt went. A device that could not connect keeps trying
     * with backoff, as firmware powered up before its gateway does.
     */
    public IMqttToken connect() throws MqttException {
        return client.connect(options, null, onFailure(() -> {
            synchronized (PahoDevice.this) {
                if (link != Link.CONNECTING) {
                    return;
                }
                link = Link.RECONNECTING;
            }
            scheduleConnect(1);
        }));
    }

    /** A connect's listener: connectComplete subscribes after a success; a failure runs {@code next}. */
    private static IMqttActionListener onFailure(Runnable next) {
        return new IMqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                // connectComplete subscribes
            }

            @Override
            public void onFailure(IMqttToken token, Throwable e) {
                next.run();
            }
        };
    }

    public boolean isConnected() {
        return client.isConnected();
    }

    /** Off on purpose (an outage or a reboot), so not expected to be connected. */
    public synchronized boolean isDown() {
        return link == Link.DOWN;
    }

    private void onConnected() {
        synchronized (this) {
            if (link == Link.CLOSED || link == Link.DOWN) {
                return;
            }
            link = Link.ONLINE;
            onlineSinceNanos = System.nanoTime();
        }
        // Paho reports a loss on its receiver thread and a connect on its callback thread: a connection taken over at
        // once may be reported lost (and ignored, not being online yet) before it is reported made. Asked outside
        // this device's lock, so that no lock of Paho's is ever taken under it.
        if (!client.isConnected()) {
            onConnectionLost();
            return;
        }
        Outbound answer;
        synchronized (this) {
            answer = afterConnect;
            afterConnect = null;
        }
        try {
            // a clean session forgets subscriptions: subscribe after every connect [MQTT-3.1.2-6]
            client.subscribe(topicPrefix + COMMANDS, 1, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    if (answer != null) {
                        publish(answer);
                    }
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    stats.errors.increment();
                }
            });
        } catch (MqttException e) {
            stats.errors.increment();
        }
    }

    private void onConnectionLost() {
        int attempt;
        synchronized (this) {
            if (link != Link.ONLINE) {
                return;
            }
            link = Link.RECONNECTING;
            attempt = ReconnectBackoff.attemptAfterLoss(nextAttempt,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - onlineSinceNanos));
        }
        stats.reconnects.increment();
        scheduleConnect(attempt);
    }

    private void scheduleConnect(int attempt) {
        synchronized (this) {
            nextAttempt = attempt + 1;
        }
        scheduler.schedule(() -> tryConnect(attempt), ReconnectBackoff.delayMs(attempt, ThreadLocalRandom.current()),
                TimeUnit.MILLISECONDS);
    }

    private void tryConnect(int attempt) {
        synchronized (this) {
            if (link != Link.RECONNECTING) {
                return;
            }
        }
        try {
            client.connect(options, null, onFailure(() -> scheduleConnect(attempt + 1)));
        } catch (MqttException e) {
            scheduleConnect(attempt + 1);
        }
    }

    /** An outage: the connection drops without DISCONNECT, as when a receiver's Wi-Fi fails. */
    public void dropConnection() {
        synchronized (this) {
            if (link != Link.ONLINE) {
                return;
            }
            link = Link.DOWN;
        }
        try {
            client.disconnectForcibly(0, 0, false);
        } catch (MqttException e) {
            stats.errors.increment();
        }
    }

    /** The end of an outage or a reboot's pause: connects again. */
    public void comeBack() {
        synchronized (this) {
            if (link != Link.DOWN) {
                return;
            }
            link = Link.RECONNECTING;
        }
        tryConnect(0);
    }

    /**
     * A reboot: a clean DISCONNECT (a device restarting on purpose raises no alarm), a pause, a new connection, then
     * {@code answer}, the first event of the new boot.
     */
    void reboot(Outbound answer, long pauseMs) {
        synchronized (this) {
            if (link == Link.CLOSED) {
                return;
            }
            link = Link.DOWN;
            afterConnect = answer;
        }
        scheduler.execute(() -> {
            try {
                if (client.isConnected()) {
                    client.disconnect(DISCONNECT_QUIESCE_MS).waitForCompletion(DISCONNECT_WAIT_MS);
                }
            } catch (MqttException e) {
                stats.errors.increment();
            }
            scheduler.schedule(this::comeBack, pauseMs, TimeUnit.MILLISECONDS);
        });
    }

    public void publish(Outbound message) {
        if (!client.isConnected()) {
            stats.droppedOffline.increment();
            return;
        }
        synchronized (queued) {
            if (!queued.isEmpty()) {
                enqueue(message);
                return;
            }
            if (!send(message)) {
                enqueue(message);
            }
        }
    }

    /** Sends now, or false when Paho's window is full. */
    private boolean send(Outbound message) {
        try {
            client.publish(topicPrefix + message.channel(), message.payload(), message.qos(), false, message,
                    message.qos() > 0 ? onAck : onWritten);
            if (message.qos() > 0) {
                stats.sentQos1.increment();
                stats.inflight.incrementAndGet();
            } else {
                stats.sentQos0.increment();
            }
            return true;
        } catch (MqttException e) {
            if (e.getReasonCode() == MqttException.REASON_CODE_MAX_INFLIGHT) {
                return false;
            }
            stats.errors.increment();
            return true;
        }
    }

    private void enqueue(Outbound message) {
        if (queued.size() >= MAX_QUEUED) {
            stats.errors.increment();
            return;
        }
        queued.add(message);
    }

    private void drain() {
        synchronized (queued) {
            while (!queued.isEmpty() && send(queued.peek())) {
                queued.poll();
            }
        }
    }

    public int queuedCount() {
        synchronized (queued) {
            return queued.size();
        }
    }

    /** A clean DISCONNECT at the end of the run: the gateway does not publish the last will. */
    public void disconnect() {
        synchronized (this) {
            link = Link.CLOSED;
        }
        try {
            if (client.isConnected()) {
                client.disconnect(DISCONNECT_QUIESCE_MS).waitForCompletion(DISCONNECT_WAIT_MS);
            }
            client.close();
        } catch (MqttException e) {
            stats.errors.increment();
        }
    }
}
