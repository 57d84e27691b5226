package io.floorgate.gateway.ingest;

/** How sending one command ended; the label is the {@code result} of {@code floorgate_device_commands_total}. */
public enum CommandStatus {
    /** The device sent PUBACK: the command reached it. What it did is its {@link CommandReport}. */
    ACKNOWLEDGED("acknowledged"),
    /** No such device in the store's configuration. */
    UNKNOWN_DEVICE("unknown_device"),
    /** The device is registered but has no open connection. */
    NOT_CONNECTED("not_connected"),
    /** The device is connected but has not subscribed to its commands topic, so nothing would reach it. */
    NOT_SUBSCRIBED("not_subscribed"),
    /** The device already has {@link CommandChannel#MAX_IN_FLIGHT} commands unacknowledged; this one was not sent. */
    TOO_MANY_IN_FLIGHT("too_many_in_flight"),
    /** Sent, but no PUBACK came within {@link CommandChannel#ACK_TIMEOUT_MS}. */
    TIMEOUT("timeout"),
    /** Sent, but the connection closed before the PUBACK came. */
    CONNECTION_LOST("connection_lost");

    private final String label;

    CommandStatus(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
