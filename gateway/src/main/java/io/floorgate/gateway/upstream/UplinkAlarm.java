package io.floorgate.gateway.upstream;

/**
 * Where the forwarder says that the uplink has held the outbox back for too long, and that it no longer does. The
 * gateway points it at its alert stage; the forwarder knows nothing of alerts. Called from the forwarder's thread.
 */
public interface UplinkAlarm {

    /** The uplink is down and rows have been waiting longer than the forwarder's delay; said once per outage. */
    void raise(String message);

    /** The uplink is back and the backlog drained, after a {@link #raise}. */
    void clear();
}
