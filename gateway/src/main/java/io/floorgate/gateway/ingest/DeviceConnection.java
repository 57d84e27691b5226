package io.floorgate.gateway.ingest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import com.google.protobuf.InvalidProtocolBufferException;
import io.floorgate.config.Device;
import io.floorgate.gateway.limits.TokenBucket;
import io.floorgate.gateway.linking.SessionTouchRow;
import io.floorgate.gateway.linking.Touch;
import io.floorgate.gateway.linking.TouchOutcome;
import io.floorgate.gateway.store.CommitListener;
import io.floorgate.gateway.store.DeviceStateRow;
import io.floorgate.gateway.store.EventRow;
import io.floorgate.gateway.store.StoreWrite;
import io.floorgate.proto.v1.DeviceEvent;
import io.floorgate.proto.v1.Heartbeat;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttTopicSubscription;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.MqttSubscribeMessage;
import io.vertx.mqtt.messages.MqttUnsubscribeMessage;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubAckReasonCode;
import io.vertx.mqtt.messages.codes.MqttSubAckReasonCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One authenticated device's MQTT connection: takes its publishes through topic check, size check,
 * rate limit, decoding, validation and de-duplication, and hands what passes to the location stage
 * (sightings), the linking stage (taps and kiosk interactions that touch a session), the pickup stage (NFC taps and
 * kiosk interactions) and the group committer.
 *
 * <p>Lives on its connection's event loop: every method here runs there. A QoS 1 message is
 * acknowledged from {@link CommitListener#committed()}, after its write is durable; a QoS 1 message
 * that must wait (the device is over its rate, or the commit queue is full) is held, in order, and
 * not acknowledged until it has gone through: that is the back-pressure a device feels.
 */
final class DeviceConnection {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceConnection.class);

    /**
     * Unacknowledged QoS 1 messages one connection may have waiting. A client that sends more is
     * ignoring flow control [MQTT-4.9.0-2]; it is disconnected rather than allowed to fill memory.
     */
    static final int MAX_HELD = 1024;
    /** How soon a message held because the commit queue was full is tried again. */
    private static final long STORE_FULL_RETRY_MS = 2;

    private enum Outcome { DONE, WAIT_FOR_TOKEN, WAIT_FOR_STORE }

    private final MqttEndpoint endpoint;
    private final Device device;
    private final DeviceLedger ledger;
    private final IngestServices services;
    private final Supplier<DeviceRegistry> registry;
    private final Context context;
    private final BooleanSupplier stopping;
    private final CommandDispatcher commandAnswers;
    private final CommandChannel commands;
    private final Refusals refusals;
    private final TokenBucket pings;
    private final ArrayDeque<MqttPublishMessage> held = new ArrayDeque<>();
    private long retryTimer = -1;
    private boolean closed;
    /** The device said DISCONNECT before the connection closed: it went away on purpose. */
    private boolean disconnectedCleanly;

    DeviceConnection(MqttEndpoint endpoint, Device device, DeviceLedger ledger, IngestServices services,
                     Supplier<DeviceRegistry> registry, Context context, BooleanSupplier stopping,
                     CommandDispatcher commandAnswers, Refusals refusals) {
        this.commandAnswers = commandAnswers;
        this.refusals = refusals;
        this.pings = new TokenBucket(registry.get().limits().devicePingRate(), registry.get().limits().devicePingBurst(),
                System.nanoTime());
        this.commands = new CommandChannel(endpoint, context, services.vertx());
        this.endpoint = endpoint;
        this.device = device;
        this.ledger = ledger;
        this.services = services;
        this.registry = registry;
        this.context = context;
        this.stopping = stopping;
    }

    Device device() {
        return device;
    }

    CommandChannel commands() {
        return commands;
    }

    /** Wires the handlers and sends CONNACK; from here on the device may publish. */
    void accept() {
        endpoint.publishAutoAck(false);
        endpoint.publishHandler(this::onPublish);
        endpoint.pingHandler(v -> onPing());
        endpoint.subscribeHandler(this::onSubscribe);
        endpoint.unsubscribeHandler(this::onUnsubscribe);
        endpoint.publishAcknowledgeMessageHandler(commands::acknowledged);
        endpoint.disconnectHandler(v -> disconnectedCleanly = true);
        endpoint.exceptionHandler(e -> LOG.debug("Device {} connection error: {}", device.id(), e.toString()));
        endpoint.closeHandler(v -> onClose());
        endpoint.accept(false);
        write(services.health().connected(device.id(), System.currentTimeMillis()), null);
        LOG.debug("Device {} connected from {}", device.id(), endpoint.remoteAddress());
    }

    /** Closes this connection because the same device connected again [MQTT-3.1.4-3]. */
    void closeFromAnyThread() {
        context.runOnContext(v -> closeEndpoint());
    }

    private void onPublish(MqttPublishMessage msg) {
        if (stopping.getAsBoolean()) {
            // Stopping: what is already queued gets committed and acknowledged; a message arriving
            // now is neither stored nor acknowledged, and the device sends it again after the restart.
            return;
        }
        if (msg.qosLevel() == MqttQoS.EXACTLY_ONCE) {
            close(Rejection.QOS2_NOT_SUPPORTED, "a QoS 2 PUBLISH; devices publish at QoS 0 or 1",
                    MqttDisconnectReasonCode.QOS_NOT_SUPPORTED);
            return;
        }
        if (!wellFormed(msg.topicName())) {
            close(Rejection.BAD_UTF8, "a topic that is not well-formed UTF-8", MqttDisconnectReasonCode.MALFORMED_PACKET);
            return;
        }
        services.health().seen(device.id(), System.currentTimeMillis());
        boolean mustQueue = msg.qosLevel() != MqttQoS.AT_MOST_ONCE && !held.isEmpty();
        if (mustQueue) {
            hold(msg, Outcome.WAIT_FOR_STORE);
            return;
        }
        Outcome outcome = process(msg);
        if (outcome == Outcome.WAIT_FOR_TOKEN) {
            services.metrics().throttled(device.id());
        }
        if (outcome != Outcome.DONE) {
            hold(msg, outcome);
        }
    }

    /**
     * Netty decodes a topic's bytes as UTF-8 replacing what is ill-formed by U+FFFD, so a topic holding U+FFFD was
     * either ill-formed or says U+FFFD itself, which no device topic does; U+0000 is not allowed in any MQTT string
     * [MQTT-1.5.3-1], [MQTT-1.5.3-2].
     */
    private static boolean wellFormed(String topic) {
        return topic.indexOf('\uFFFD') < 0 && topic.indexOf('\u0000') < 0;
    }

    /** A PINGREQ beyond the allowance: the client is flooding, not keeping the connection alive. */
    private void onPing() {
        if (!closed && !pings.tryTake(System.nanoTime())) {
            close(Rejection.PING_FLOOD, "over " + registry.get().limits().devicePingRate() + " PINGREQ/s",
                    MqttDisconnectReasonCode.MESSAGE_RATE_TOO_HIGH);
        }
    }

    /** Closes the connection for a protocol violation, telling an MQTT 5 device why [MQTT-4.13.2-1]. */
    private void close(Rejection reason, String detail, MqttDisconnectReasonCode code) {
        refusals.refuse(reason, device.id(), endpoint.remoteAddress(), detail);
        if (!writable()) {
            return;
        }
        if (ProtocolVersion.isMqtt5(endpoint.protocolVersion())) {
            endpoint.disconnect(code, MqttProperties.NO_PROPERTIES);
        }
        closeEndpoint();
    }

    private Outcome process(MqttPublishMessage msg) {
        DeviceRegistry current = registry.get();
        int qos = msg.qosLevel().value();
        DeviceTopic topic = DeviceTopic.parse(msg.topicName());
        if (topic == null || topic.channel() == Channel.COMMANDS || !topic.storeId().equals(current.storeId())) {
            return reject(msg, new Invalid(Rejection.BAD_TOPIC, msg.topicName()));
        }
        if (!topic.deviceId().equals(device.id())) {
            return reject(msg, new Invalid(Rejection.FOREIGN_TOPIC, msg.topicName()));
        }
        // Size before parsing: a payload over the limit is never decoded.
        Buffer payload = msg.payload();
        if (payload.length() > current.limits().maxEventBytes()) {
            return reject(msg, new Invalid(Rejection.OVERSIZE, payload.length() + " bytes"));
        }
        if (!ledger.bucket().tryTake(System.nanoTime())) {
            if (qos == 0) {
                return reject(msg, new Invalid(Rejection.RATE_LIMITED, "over " + current.limits().devicePublishRate() + "/s"));
            }
            return Outcome.WAIT_FOR_TOKEN;
        }
        Outcome outcome = switch (topic.channel()) {
            case EVENTS -> processEvent(msg, payload.getBytes(), qos);
            case HEALTH -> processHeartbeat(msg, payload.getBytes(), qos);
            case STATUS -> processStatus(msg, payload.toString(StandardCharsets.UTF_8), qos);
            case COMMANDS -> throw new IllegalStateException("refused above");
        };
        if (outcome == Outcome.WAIT_FOR_STORE) {
            ledger.bucket().refund();
        }
        return outcome;
    }

    private Outcome processEvent(MqttPublishMessage msg, byte[] bytes, int qos) {
        DeviceEvent event;
        try {
            event = DeviceEvent.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            return reject(msg, new Invalid(Rejection.NOT_PROTOBUF, e.getMessage()));
        }
        Invalid invalid = PayloadValidator.check(event, device.id(), device.kind());
        if (invalid != null) {
            return reject(msg, invalid);
        }
        long receivedAt = System.currentTimeMillis();
        if (!ledger.isNew(event.getBootId(), event.getSeq())) {
            services.metrics().rejected(Rejection.DUPLICATE, device.id());
            // The original may still be waiting for its commit: acknowledge the copy only after it.
            if (qos > 0 && !services.committer().barrier(context, ackWhenCommitted(msg))) {
                return Outcome.WAIT_FOR_STORE;
            }
            return Outcome.DONE;
        }
        boolean sightings = event.getBodyCase() == DeviceEvent.BodyCase.BEACON_SIGHTINGS;
        TouchOutcome touch = sightings ? new TouchOutcome.NotATouch()
                : services.touches().classify(device, event, receivedAt);
        if (touch instanceof TouchOutcome.UnknownToken) {
            return dropUnknownToken(msg, event, qos);
        }
        // QoS 0 sightings only move location state; everything else is kept raw.
        if (qos > 0 || !sightings) {
            EventRow row = new EventRow(device.id(), event.getBootId(), event.getSeq(), kindOf(event),
                    event.getObservedAtMs(), receivedAt, bytes);
            boolean queued = touch instanceof TouchOutcome.Linked linked
                    // The touch row goes last and carries the acknowledgement: both rows are durable before it.
                    ? services.committer().offer(row, context, null) && services.committer().offer(
                            new SessionTouchRow(linked.touch()), context, touchCommitted(msg, linked.touch(), event))
                    : services.committer().offer(row, context, qos > 0 ? eventCommitted(msg, event) : null);
            if (!queued) {
                return Outcome.WAIT_FOR_STORE;
            }
        }
        ledger.mark(event.getBootId(), event.getSeq());
        services.metrics().accepted(device.kind(), Channel.EVENTS, qos);
        if (sightings) {
            services.sightings().onSightings(device, event, receivedAt);
            return Outcome.DONE;
        }
        if (touch instanceof TouchOutcome.Linked linked) {
            services.touches().accepted(linked.touch());
        }
        if (event.hasCommandResult()) {
            commandAnswers.reported(device, event, receivedAt);
            return Outcome.DONE;
        }
        for (DeviceEventListener listener : services.deviceEvents()) {
            listener.onEvent(device, event, receivedAt);
        }
        return Outcome.DONE;
    }

    /**
     * A session token of no open session: nothing about it is kept, not even the raw event. A QoS 1 copy is still
     * acknowledged, after what came before it is committed (PUBACKs go in the order of the PUBLISHes, [MQTT-4.6.0-2]).
     */
    private Outcome dropUnknownToken(MqttPublishMessage msg, DeviceEvent event, int qos) {
        if (qos > 0 && !services.committer().barrier(context, ackWhenCommitted(msg))) {
            return Outcome.WAIT_FOR_STORE;
        }
        ledger.mark(event.getBootId(), event.getSeq());
        services.metrics().accepted(device.kind(), Channel.EVENTS, qos);
        services.touches().dropped();
        return Outcome.DONE;
    }

    private Outcome processHeartbeat(MqttPublishMessage msg, byte[] bytes, int qos) {
        Heartbeat heartbeat;
        try {
            heartbeat = Heartbeat.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            return reject(msg, new Invalid(Rejection.NOT_PROTOBUF, e.getMessage()));
        }
        Invalid invalid = PayloadValidator.check(heartbeat, device.id());
        if (invalid != null) {
            return reject(msg, invalid);
        }
        if (!write(services.health().heartbeat(heartbeat, System.currentTimeMillis()), qos > 0 ? msg : null)) {
            return Outcome.WAIT_FOR_STORE;
        }
        services.metrics().accepted(device.kind(), Channel.HEALTH, qos);
        return Outcome.DONE;
    }

    private Outcome processStatus(MqttPublishMessage msg, String text, int qos) {
        String status = text.strip().toLowerCase(Locale.ROOT);
        long now = System.currentTimeMillis();
        boolean wasOnline = services.health().isOnline(device.id());
        DeviceStateRow row = switch (status) {
            case "online" -> services.health().connected(device.id(), now);
            case "offline" -> services.health().disconnected(device.id(), now, true);
            default -> null;
        };
        if (row == null) {
            return reject(msg, new Invalid(Rejection.INVALID_EVENT, "status must be online or offline"));
        }
        if (!write(withReport(wasOnline, row, now), qos > 0 ? msg : null)) {
            return Outcome.WAIT_FOR_STORE;
        }
        services.metrics().accepted(device.kind(), Channel.STATUS, qos);
        return Outcome.DONE;
    }

    /** Queues a state row; with a message, that message is acknowledged once the row is committed. */
    private boolean write(StoreWrite row, MqttPublishMessage ackAfter) {
        return services.committer().offer(row, context, ackAfter == null ? null : ackWhenCommitted(ackAfter));
    }

    /** Queues rows to commit in one transaction; with a message, it is acknowledged once they are committed. */
    private boolean write(List<StoreWrite> rows, MqttPublishMessage ackAfter) {
        return services.committer().offer(rows, context, ackAfter == null ? null : ackWhenCommitted(ackAfter));
    }

    /**
     * A state row with what reports it upstream: a device going from online to offline is a live event (once: a last
     * will followed by the connection's close is one), unless the gateway itself is stopping (every connection closes
     * then, and the chain should not hear of every device going down).
     */
    private List<StoreWrite> withReport(boolean wasOnline, DeviceStateRow row, long nowMs) {
        if (row.online() || !wasOnline || stopping.getAsBoolean()) {
            return List.of(row);
        }
        List<StoreWrite> rows = new ArrayList<>();
        rows.add(row);
        rows.addAll(services.offlineRows().offline(row.deviceId(), row.lastSeenMs(), nowMs));
        return rows;
    }

    private CommitListener ackWhenCommitted(MqttPublishMessage msg) {
        return whenCommitted(msg, () -> { }, () -> { });
    }

    /**
     * Acknowledges a QoS 1 event once its row is committed. If the row fails, the event's mark in the replay window
     * is taken back: the device sends it again, and that copy must be stored, not acknowledged as a duplicate.
     */
    private CommitListener eventCommitted(MqttPublishMessage msg, DeviceEvent event) {
        return whenCommitted(msg, () -> { }, () -> ledger.forget(event.getBootId(), event.getSeq()));
    }

    /** Acknowledges a QoS 1 touch once its rows are committed, then lets the linking stage tell its listeners. */
    private CommitListener touchCommitted(MqttPublishMessage msg, Touch touch, DeviceEvent event) {
        return whenCommitted(msg, () -> services.touches().committed(touch),
                () -> ledger.forget(event.getBootId(), event.getSeq()));
    }

    private CommitListener whenCommitted(MqttPublishMessage msg, Runnable then, Runnable undo) {
        return new CommitListener() {
            @Override
            public void committed() {
                if (!closed && msg.qosLevel() != MqttQoS.AT_MOST_ONCE) {
                    acknowledge(msg);
                }
                then.run();
            }

            @Override
            public void failed(Exception cause) {
                undo.run();
                services.metrics().rejected(Rejection.STORE_FAILED, device.id());
                if (msg.qosLevel() == MqttQoS.AT_MOST_ONCE) {
                    // A QoS 0 touch is lost as its raw row is: the device would not send it again.
                    LOG.warn("Device {}: a QoS 0 touch not stored ({})", device.id(), cause.getMessage());
                    return;
                }
                // Not acknowledged: closing makes the device send it again once the store works.
                LOG.warn("Device {}: message {} not stored ({}); closing so the device re-sends it", device.id(),
                        msg.messageId(), cause.getMessage());
                closeEndpoint();
            }
        };
    }

    private Outcome reject(MqttPublishMessage msg, Invalid invalid) {
        services.metrics().rejected(invalid.reason(), device.id());
        LOG.debug("Device {}: {} refused: {}", device.id(), invalid.reason().label(), invalid.detail());
        if (!writable()) {
            return Outcome.DONE;
        }
        if (msg.qosLevel() == MqttQoS.AT_LEAST_ONCE && ProtocolVersion.isMqtt5(endpoint.protocolVersion())) {
            MqttPubAckReasonCode code = invalid.reason().pubAckCode();
            endpoint.publishAcknowledge(msg.messageId(), code == null ? MqttPubAckReasonCode.SUCCESS : code,
                    MqttProperties.NO_PROPERTIES);
        } else if (msg.qosLevel() != MqttQoS.AT_MOST_ONCE) {
            // MQTT 3.1.1 has no way to say no to a PUBLISH but to disconnect; the refusal is
            // acknowledged so that one bad message does not stall the device's queue.
            acknowledge(msg);
        }
        return Outcome.DONE;
    }

    /**
     * PUBACK (QoS 2 never gets this far). Sent through the endpoint rather than
     * {@code MqttPublishMessage.ack()}, whose callback Vert.x MQTT 5.0 only sets up with auto-ack on.
     */
    private void acknowledge(MqttPublishMessage msg) {
        if (!writable()) {
            return;
        }
        endpoint.publishAcknowledge(msg.messageId());
    }

    /**
     * Whether a packet can still be sent. The endpoint closes before its close handler runs (a DISCONNECT, our own
     * close, a take-over): a commit finishing in between must not write, Vert.x MQTT throws on a closed endpoint. The
     * device was not acknowledged and sends the message again.
     */
    private boolean writable() {
        return !closed && endpoint.isConnected();
    }

    private void closeEndpoint() {
        if (writable()) {
            endpoint.close();
        }
    }

    private void hold(MqttPublishMessage msg, Outcome why) {
        if (held.size() >= MAX_HELD) {
            close(Rejection.HELD_OVERFLOW, held.size() + " unacknowledged messages waiting",
                    MqttDisconnectReasonCode.RECEIVE_MAXIMUM_EXCEEDED);
            return;
        }
        held.add(msg);
        scheduleRetry(why);
    }

    private void scheduleRetry(Outcome why) {
        if (retryTimer >= 0 || closed) {
            return;
        }
        long delayMs = why == Outcome.WAIT_FOR_TOKEN
                ? Math.max(1, TimeUnit.NANOSECONDS.toMillis(ledger.bucket().nanosUntilToken(System.nanoTime())))
                : STORE_FULL_RETRY_MS;
        retryTimer = services.vertx().setTimer(delayMs, id -> {
            retryTimer = -1;
            drainHeld();
        });
    }

    private void drainHeld() {
        while (!held.isEmpty() && !closed) {
            Outcome outcome = process(held.peek());
            if (outcome != Outcome.DONE) {
                scheduleRetry(outcome);
                return;
            }
            held.poll();
        }
    }

    /**
     * A device may subscribe to its own commands topic only: another device's topic or a wildcard is refused in the
     * SUBACK, counted, and the connection kept. MQTT 3.1.1 knows one failure code, 0x80 [MQTT-3.9.3-2]; MQTT 5 says
     * not authorized.
     */
    private void onSubscribe(MqttSubscribeMessage subscribe) {
        String commandsTopic = DeviceTopic.of(registry.get().storeId(), device.id(), Channel.COMMANDS);
        MqttSubAckReasonCode refused = ProtocolVersion.isMqtt5(endpoint.protocolVersion())
                ? MqttSubAckReasonCode.NOT_AUTHORIZED : MqttSubAckReasonCode.UNSPECIFIED_ERROR;
        List<MqttSubAckReasonCode> codes = new ArrayList<>();
        for (MqttTopicSubscription s : subscribe.topicSubscriptions()) {
            if (s.topicName().equals(commandsTopic)) {
                codes.add(MqttSubAckReasonCode.GRANTED_QOS1);
            } else {
                codes.add(refused);
                refusals.refuse(Rejection.SUBSCRIBE_REFUSED, device.id(), endpoint.remoteAddress(),
                        "SUBSCRIBE " + s.topicName());
            }
        }
        if (!writable()) {
            return;
        }
        endpoint.subscribeAcknowledge(subscribe.messageId(), codes, MqttProperties.NO_PROPERTIES);
        if (codes.contains(MqttSubAckReasonCode.GRANTED_QOS1)) {
            // After the SUBACK: from now on a command published to the device is one it expects.
            commands.subscribed(true);
        }
    }

    private void onUnsubscribe(MqttUnsubscribeMessage unsubscribe) {
        String commandsTopic = DeviceTopic.of(registry.get().storeId(), device.id(), Channel.COMMANDS);
        if (unsubscribe.topics().contains(commandsTopic)) {
            commands.subscribed(false);
        }
        if (writable()) {
            endpoint.unsubscribeAcknowledge(unsubscribe.messageId());
        }
    }

    private void onClose() {
        closed = true;
        if (retryTimer >= 0) {
            services.vertx().cancelTimer(retryTimer);
        }
        // Held messages were never acknowledged: the device re-sends them when it reconnects.
        held.clear();
        commands.closed();
        if (ledger.release(this)) {
            long now = System.currentTimeMillis();
            boolean wasOnline = services.health().isOnline(device.id());
            // The gateway closing every connection as it stops is no device's fault.
            boolean expected = disconnectedCleanly || stopping.getAsBoolean();
            write(withReport(wasOnline, services.health().disconnected(device.id(), now, expected), now), null);
        }
        LOG.debug("Device {} disconnected", device.id());
    }

    private static String kindOf(DeviceEvent event) {
        return event.getBodyCase().name().toLowerCase(Locale.ROOT);
    }
}
