package io.floorgate.gateway.ingest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.floorgate.config.Device;
import io.floorgate.proto.v1.CommandResult;
import io.floorgate.proto.v1.DeviceCommand;
import io.floorgate.proto.v1.DeviceEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link DeviceCommands} over the MQTT server's connections: finds the device's connection, hands the command to its
 * {@link CommandChannel}, counts the outcome, and matches the devices' {@code CommandResult}s to the commands sent.
 *
 * <p>Threads: any. The tracked commands are guarded by their map's lock; answers arrive on the devices' event loops.
 */
final class CommandDispatcher implements DeviceCommands {

    private static final Logger LOG = LoggerFactory.getLogger(CommandDispatcher.class);

    /**
     * How long after sending a command its answer is awaited: long enough for a reboot, which is answered once the
     * device is back.
     */
    static final long REPORT_TIMEOUT_MS = 60_000;
    /**
     * Commands whose answer can still be asked for, answered or not. Beyond it the oldest is forgotten; if its answer
     * was still awaited, that future fails and it is counted in
     * {@code floorgate_device_command_reports_total{result="forgotten"}}.
     */
    static final int MAX_TRACKED_COMMANDS = 1_024;

    /** A command sent: its answer when it came, and the promise of those who wait for it. */
    private static final class Tracked {
        final Promise<CommandReport> answer = Promise.promise();
        long timer = -1;
    }

    private final Vertx vertx;
    private final Supplier<DeviceRegistry> registry;
    private final Function<String, CommandChannel> channels;
    private final LongSupplier clockMs;
    private final MeterRegistry metrics;
    private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();
    private final Map<String, Counter> reports = new ConcurrentHashMap<>();
    /** Insertion-ordered, the oldest first; guarded by itself. */
    private final LinkedHashMap<String, Tracked> tracked = new LinkedHashMap<>();
    private final Map<String, CommandReport> lastReports = new ConcurrentHashMap<>();

    /**
     * @param channels the command channel of a device's open connection, or null when it has none
     */
    CommandDispatcher(Vertx vertx, Supplier<DeviceRegistry> registry, Function<String, CommandChannel> channels,
                      LongSupplier clockMs, MeterRegistry metrics) {
        this.vertx = vertx;
        this.registry = registry;
        this.channels = channels;
        this.clockMs = clockMs;
        this.metrics = metrics;
    }

    @Override
    public Future<CommandOutcome> send(String deviceId, Command command) {
        Objects.requireNonNull(command, "command");
        Context caller = Vertx.currentContext();
        String commandId = UUID.randomUUID().toString();
        long issuedAtMs = clockMs.getAsLong();
        DeviceRegistry current = registry.get();
        Future<CommandStatus> sent;
        if (!current.devices().containsKey(deviceId)) {
            sent = Future.succeededFuture(CommandStatus.UNKNOWN_DEVICE);
        } else {
            CommandChannel channel = channels.apply(deviceId);
            if (channel == null) {
                sent = Future.succeededFuture(CommandStatus.NOT_CONNECTED);
            } else {
                track(commandId);
                sent = channel.send(DeviceTopic.of(current.storeId(), deviceId, Channel.COMMANDS),
                        command.addTo(DeviceCommand.newBuilder().setCommandId(commandId).setIssuedAtMs(issuedAtMs))
                                .build());
            }
        }
        Future<CommandOutcome> outcome = sent.map(status -> {
            if (status != CommandStatus.ACKNOWLEDGED) {
                forget(commandId);
            }
            outcomes.computeIfAbsent(command.kind() + '/' + status.label(), k -> Counter
                    .builder("floorgate.device.commands").description("Commands sent to devices, by how sending ended")
                    .tag("kind", command.kind()).tag("result", status.label()).register(metrics)).increment();
            LOG.info("Command {} {} to device {}: {}", command.kind(), commandId, deviceId, status.label());
            return new CommandOutcome(commandId, deviceId, command.kind(), issuedAtMs, status);
        });
        return onCaller(caller, outcome);
    }

    /** Starts awaiting the command's answer before it is sent, so that even the quickest answer finds it. */
    private void track(String commandId) {
        Tracked command = new Tracked();
        Tracked dropped = null;
        synchronized (tracked) {
            if (tracked.size() >= MAX_TRACKED_COMMANDS) {
                Map.Entry<String, Tracked> oldest = tracked.entrySet().iterator().next();
                tracked.remove(oldest.getKey());
                dropped = oldest.getValue();
            }
            tracked.put(commandId, command);
        }
        if (dropped != null && dropped.answer.tryFail("no longer tracked: more than " + MAX_TRACKED_COMMANDS
                + " commands sent since")) {
            vertx.cancelTimer(dropped.timer);
            countReport("forgotten");
        }
        command.timer = vertx.setTimer(REPORT_TIMEOUT_MS, id -> {
            if (command.answer.tryFail(new TimeoutException("no answer within " + REPORT_TIMEOUT_MS + " ms"))) {
                countReport("timeout");
            }
        });
    }

    private void forget(String commandId) {
        Tracked command;
        synchronized (tracked) {
            command = tracked.remove(commandId);
        }
        if (command != null) {
            vertx.cancelTimer(command.timer);
            command.answer.tryFail("the command was not acknowledged");
        }
    }

    @Override
    public Future<CommandReport> report(String commandId) {
        Context caller = Vertx.currentContext();
        Tracked command;
        synchronized (tracked) {
            command = tracked.get(commandId);
        }
        if (command == null) {
            return Future.failedFuture("no command " + commandId + " is tracked");
        }
        return onCaller(caller, command.answer.future());
    }

    /** A device's CommandResult, accepted by ingest; on the device's event loop. */
    void reported(Device device, DeviceEvent event, long receivedAtMs) {
        CommandResult result = event.getCommandResult();
        CommandReport report = new CommandReport(result.getCommandId(), device.id(), result.getOk(),
                result.getDetail(), event.getBootId(), receivedAtMs);
        lastReports.put(device.id(), report);
        Tracked command;
        synchronized (tracked) {
            command = tracked.get(report.commandId());
        }
        countReport(report.ok() ? "ok" : "failed");
        LOG.info("Device {} answered command {}: {} {}", device.id(), report.commandId(), report.ok() ? "ok" : "failed",
                report.detail());
        if (command != null) {
            vertx.cancelTimer(command.timer);
            command.answer.tryComplete(report);
        }
    }

    /** A device removed from the configuration. */
    void forgetDevice(String deviceId) {
        lastReports.remove(deviceId);
    }

    @Override
    public Optional<CommandReport> lastReport(String deviceId) {
        return Optional.ofNullable(lastReports.get(deviceId));
    }

    @Override
    public Map<String, CommandReport> lastReports() {
        return Map.copyOf(lastReports);
    }

    private void countReport(String result) {
        reports.computeIfAbsent(result, r -> Counter.builder("floorgate.device.command.reports")
                .description("Devices' answers to commands, and commands whose answer never came")
                .tag("result", r).register(metrics)).increment();
    }

    /** Moves a future's completion onto the caller's context, as the stages answer. */
    private static <T> Future<T> onCaller(Context caller, Future<T> future) {
        if (caller == null) {
            return future;
        }
        Promise<T> answer = Promise.promise();
        future.onComplete(result -> caller.runOnContext(v -> answer.handle(result)));
        return answer.future();
    }
}
