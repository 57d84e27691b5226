package io.floorgate.gateway.ingest;

/**
 * The end of sending one command.
 *
 * @param commandId  the {@code command_id} it carried (also set when it was not sent)
 * @param kind       {@link Command#kind()}
 * @param issuedAtMs when the gateway issued it, milliseconds since the epoch
 */
public record CommandOutcome(String commandId, String deviceId, String kind, long issuedAtMs, CommandStatus status) {

    public boolean acknowledged() {
        return status == CommandStatus.ACKNOWLEDGED;
    }
}
