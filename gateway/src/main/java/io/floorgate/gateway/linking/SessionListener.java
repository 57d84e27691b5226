package io.floorgate.gateway.linking;

import io.vertx.core.Future;

/** Told when sessions begin and end; called on whichever thread changed the session, must not block. */
public interface SessionListener {

    void started(ShopperSession session);

    /** Checked out, expired after inactivity, or removed. */
    void ended(String sessionId);

    /**
     * The shopper withdrew {@code consent}; {@code session} is the session as it is now. Told before the withdrawal
     * is committed, so that it takes effect at once. The future completes once this listener holds nothing, and
     * will make nothing, that the consent allowed: the registry commits the withdrawal (and the fate of what was
     * stored under the consent) only then, so that no row derived from the consent lands after it.
     */
    default Future<Void> consentWithdrawn(ShopperSession session, Consent consent) {
        return Future.succeededFuture();
    }

    /** The shopper gave {@code consent}, committed; {@code session} is the session as it is now. */
    default void consentGiven(ShopperSession session, Consent consent) {
    }
}
