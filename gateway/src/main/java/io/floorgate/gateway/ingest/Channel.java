package io.floorgate.gateway.ingest;

/** The last level of a device topic: what the payload is. */
public enum Channel {
    /** DeviceEvent, protobuf. */
    EVENTS("events"),
    /** Heartbeat, protobuf. */
    HEALTH("health"),
    /** UTF-8 "online" / "offline"; the last will. */
    STATUS("status"),
    /** Gateway to device only; a device publishing here is refused. */
    COMMANDS("commands");

    private final String label;

    Channel(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    static Channel fromLabel(String label) {
        for (Channel c : values()) {
            if (c.label.equals(label)) {
                return c;
            }
        }
        return null;
    }
}
