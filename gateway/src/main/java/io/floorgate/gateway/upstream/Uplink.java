package io.floorgate.gateway.upstream;

import java.util.function.Consumer;

/**
 * The MQTT connection to the chain's broker, whichever protocol version it speaks. QoS 1, a clean session and
 * memory persistence: the outbox is the store of what is unacknowledged, not the client.
 *
 * <p>Threads: called from the forwarder's thread; the callbacks run on the MQTT client's own threads.
 */
interface Uplink extends AutoCloseable {

    /**
     * Connects, blocking until the broker answers or the attempt fails. The broker holds the last will: the status
     * topic's retained "offline".
     *
     * @return how many QoS 1 messages the broker takes unacknowledged at once (its Receive Maximum under MQTT 5;
     *         {@link Integer#MAX_VALUE} when it does not say)
     */
    int connect() throws Exception;

    boolean isConnected();

    /**
     * Publishes at QoS 1 without waiting; {@code acknowledged} runs once the broker's PUBACK is in, {@code failed}
     * when the message will not be acknowledged on this connection.
     */
    void publish(String topic, byte[] payload, boolean retained, Runnable acknowledged, Consumer<Throwable> failed)
            throws Exception;

    /** Disconnects cleanly, waiting up to the quiesce time for what is in flight; no last will is sent. */
    void disconnect(long quiesceMs);

    @Override
    void close();
}
