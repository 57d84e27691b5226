package io.floorgate.sim.misbehave;

/**
 * What the gateway answered to one bad input.
 *
 * @param kind   the kind of answer
 * @param detail what exactly, for the report line (a CONNACK code, a latency)
 */
public record Answer(Kind kind, String detail) {

    public enum Kind {
        /** CONNACK with a non-zero return code. */
        REFUSED,
        /** The connection was closed. */
        CLOSED,
        /** Every QoS 1 message sent was acknowledged. */
        ACKED,
        /** A QoS 1 message got no PUBACK within the timeout. */
        NO_ACK,
        /** QoS 0 sent and the connection is still open. */
        STILL_CONNECTED
    }

    @Override
    public String toString() {
        return detail.isEmpty() ? kind.name() : kind + " (" + detail + ")";
    }
}
