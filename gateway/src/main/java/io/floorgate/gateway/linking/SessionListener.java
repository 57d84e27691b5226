package io.floorgate.gateway.linking;

/** Told when sessions begin and end; called on whichever thread changed the session, must not block. */
public interface SessionListener {

    void started(ShopperSession session);

    /** Checked out, expired after inactivity, or removed. */
    void ended(String sessionId);
}
