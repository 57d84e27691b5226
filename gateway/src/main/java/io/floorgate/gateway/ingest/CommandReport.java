package io.floorgate.gateway.ingest;

/**
 * A device's answer to a command: its {@code CommandResult}.
 *
 * @param bootId       the boot the answer came from (a reboot is answered from the new one)
 * @param receivedAtMs when the gateway received it, milliseconds since the epoch
 */
public record CommandReport(String commandId, String deviceId, boolean ok, String detail, long bootId,
                            long receivedAtMs) {
}
