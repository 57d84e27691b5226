package io.floorgate.gateway.ingest;

import java.util.Map;
import java.util.Optional;

import io.vertx.core.Future;

/**
 * Sends {@code DeviceCommand}s to devices on their commands topic at QoS 1, and holds what the devices answered.
 * Owned by ingest, which holds the devices' connections.
 *
 * <p>Threads: callable from any thread; never blocks. A future returned to a caller on a Vert.x context completes on
 * that context.
 */
public interface DeviceCommands {

    /**
     * Sends {@code command} to the device. Completes, never fails, once the device acknowledged it (PUBACK) or it
     * was refused: unknown device, not connected, not subscribed to its commands topic, too many unacknowledged, no
     * PUBACK within {@link CommandChannel#ACK_TIMEOUT_MS}, or the connection lost.
     */
    Future<CommandOutcome> send(String deviceId, Command command);

    /**
     * The device's answer to an acknowledged command: completes when it arrives (or at once if it already did);
     * fails if none arrives within {@link CommandDispatcher#REPORT_TIMEOUT_MS} of sending, or the command id is not
     * one of the last {@link CommandDispatcher#MAX_TRACKED_COMMANDS} sent.
     */
    Future<CommandReport> report(String commandId);

    /** The last answer of one device, to any command. */
    Optional<CommandReport> lastReport(String deviceId);

    /** The last answer of every device that answered one; a snapshot. */
    Map<String, CommandReport> lastReports();
}
