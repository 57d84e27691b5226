package io.floorgate.sim.soak;

/**
 * One write the gateway acknowledged, so one that must be in its database from then on: a QoS 1 event it sent
 * PUBACK for, a check-in or a pickup step it answered 2xx. One line of the soak journal each.
 */
sealed interface Acknowledged {

    /** The journal line; {@link #parse} reads it back. */
    String line();

    /** A device event, keyed as the gateway keys it (device_event's primary key). */
    record Event(String deviceId, long bootId, long seq) implements Acknowledged {
        @Override
        public String line() {
            return "event " + deviceId + " " + bootId + " " + seq;
        }
    }

    /** A shopper session opened by POST /sessions (201). */
    record Session(String sessionId) implements Acknowledged {
        @Override
        public String line() {
            return "session " + sessionId;
        }
    }

    /** A pickup step answered 2xx: a pickup_step row of this order in this state. */
    record Step(String orderId, String state) implements Acknowledged {
        @Override
        public String line() {
            return "step " + orderId + " " + state;
        }
    }

    static Acknowledged parse(String line) {
        String[] f = line.split(" ");
        return switch (f[0]) {
            case "event" -> new Event(f[1], Long.parseLong(f[2]), Long.parseLong(f[3]));
            case "session" -> new Session(f[1]);
            case "step" -> new Step(f[1], f[2]);
            default -> throw new IllegalArgumentException("not a soak journal line: " + line);
        };
    }
}
