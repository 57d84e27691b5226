package io.floorgate.sim.upstream;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * A Paho connection to the chain's broker that subscribes to topic filters at QoS 1 and hands each message to a
 * {@link Delivery}. It resubscribes on every (re)connect, because a broker that restarted without persistence has
 * forgotten the session. Paho acknowledges a message when {@link Delivery#arrived} returns, so a message is acked
 * only once it has been counted (and written); one that throws is not acked and comes again.
 *
 * <p>Session: with {@code cleanSession} false the broker keeps the subscription and queues QoS 1 messages while
 * the consumer is away (a persistent session, for {@link #SESSION_EXPIRY} under MQTT 5), so a consumer restart
 * loses nothing; the client id must then be stable and used by one consumer only.
 */
interface UpstreamSubscriber extends AutoCloseable {

    /** How long the broker keeps an absent consumer's session and queue (MQTT 5 session expiry interval). */
    Duration SESSION_EXPIRY = Duration.ofDays(1);
    /** Reconnect attempts back off up to this: an uplink back after a minute is seen within seconds. */
    Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(5);
    Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    int QOS = 1;

    /** Called on Paho's callback thread, one message at a time. */
    @FunctionalInterface
    interface Delivery {
        void arrived(String topic, byte[] payload) throws Exception;
    }

    record Options(URI broker, MqttProtocol protocol, String clientId, boolean cleanSession, List<String> filters) {
        public Options {
            filters = List.copyOf(filters);
        }
    }

    /** Connects and subscribes; throws when the broker cannot be reached within {@link #CONNECT_TIMEOUT}. */
    static UpstreamSubscriber connect(Options options, Delivery delivery) throws Exception {
        return switch (options.protocol()) {
            case MQTT5 -> Mqtt5Subscriber.connect(options, delivery);
            case MQTT3 -> Mqtt3Subscriber.connect(options, delivery);
        };
    }

    @Override
    void close() throws Exception;
}
