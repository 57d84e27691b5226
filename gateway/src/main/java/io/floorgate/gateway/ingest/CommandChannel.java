package io.floorgate.gateway.ingest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

import io.floorgate.proto.v1.DeviceCommand;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.messages.MqttPubAckMessage;

/**
 * The gateway-to-device half of one connection: publishes commands at QoS 1 and matches each PUBACK to its command
 * by message id. The gateway chooses the message ids itself, so a command is registered before its PUBLISH leaves
 * and a quick PUBACK always finds it.
 *
 * <p>Threads: {@link #send} may be called from any thread and moves onto the connection's context; everything else
 * runs there.
 */
final class CommandChannel {

    /** Commands one device may have unacknowledged; more are refused, not queued: staff send them one click at a time. */
    static final int MAX_IN_FLIGHT = 16;
    /** How long a device has to acknowledge a command; a device that is connected answers PUBACK in milliseconds. */
    static final long ACK_TIMEOUT_MS = 10_000;
    /** [MQTT-2.3.1-1] packet identifiers are 1..65535. */
    private static final int MAX_MESSAGE_ID = 65_535;

    private record InFlight(Promise<CommandStatus> done, long timer) {
    }

    private final MqttEndpoint endpoint;
    private final Context context;
    private final Vertx vertx;
    private final Map<Integer, InFlight> inFlight = new HashMap<>();
    private boolean subscribed;
    private boolean closed;
    private int lastMessageId;

    CommandChannel(MqttEndpoint endpoint, Context context, Vertx vertx) {
        this.endpoint = endpoint;
        this.context = context;
        this.vertx = vertx;
    }

    Future<CommandStatus> send(String topic, DeviceCommand command) {
        Promise<CommandStatus> done = Promise.promise();
        context.runOnContext(v -> publish(topic, command, done));
        return done.future();
    }

    private void publish(String topic, DeviceCommand command, Promise<CommandStatus> done) {
        if (closed) {
            done.complete(CommandStatus.NOT_CONNECTED);
            return;
        }
        if (!subscribed) {
            done.complete(CommandStatus.NOT_SUBSCRIBED);
            return;
        }
        if (inFlight.size() >= MAX_IN_FLIGHT) {
            done.complete(CommandStatus.TOO_MANY_IN_FLIGHT);
            return;
        }
        int messageId = nextMessageId();
        long timer = vertx.setTimer(ACK_TIMEOUT_MS, t -> end(messageId, CommandStatus.TIMEOUT));
        inFlight.put(messageId, new InFlight(done, timer));
        endpoint.publish(topic, Buffer.buffer(command.toByteArray()), MqttQoS.AT_LEAST_ONCE, false, false, messageId)
                .onFailure(e -> end(messageId, CommandStatus.CONNECTION_LOST));
    }

    /** The next id not held by a command in flight. */
    private int nextMessageId() {
        do {
            lastMessageId = lastMessageId % MAX_MESSAGE_ID + 1;
        } while (inFlight.containsKey(lastMessageId));
        return lastMessageId;
    }

    void acknowledged(MqttPubAckMessage ack) {
        end(ack.messageId(), CommandStatus.ACKNOWLEDGED);
    }

    private void end(int messageId, CommandStatus status) {
        InFlight command = inFlight.remove(messageId);
        if (command != null) {
            vertx.cancelTimer(command.timer());
            command.done().complete(status);
        }
    }

    /** Called once SUBACK granted the device its commands topic, or when it unsubscribed. */
    void subscribed(boolean subscribed) {
        this.subscribed = subscribed;
    }

    /** Commands not acknowledged by now never will be on this connection. */
    void closed() {
        closed = true;
        for (Integer messageId : new ArrayList<>(inFlight.keySet())) {
            end(messageId, CommandStatus.CONNECTION_LOST);
        }
    }
}
