package io.floorgate.gateway.linking;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.vertx.core.Future;

/**
 * Which session each kiosk serves: a session scan starts a kiosk session, and what the shopper then does at that
 * kiosk, for {@link TouchLinker#KIOSK_SESSION} after the scan, is theirs. Without this bound a kiosk left alone would
 * hand the next person's feedback to the last shopper who scanned.
 *
 * <p>Bound: one entry per kiosk that saw a scan (kiosks are the store's registered devices); the next scan at a
 * kiosk replaces its entry, and a session that ends leaves every kiosk. Thread-safe: kiosks publish on their
 * connections' event loops, sessions end on any thread.
 */
final class KioskSessions implements SessionListener {

    private record KioskSession(ShopperSession session, long untilMs) {
    }

    private final Map<String, KioskSession> byKiosk = new ConcurrentHashMap<>();
    private final long lengthMs;

    KioskSessions(long lengthMs) {
        this.lengthMs = lengthMs;
    }

    void start(String kioskId, ShopperSession session, long atMs) {
        byKiosk.put(kioskId, new KioskSession(session, atMs + lengthMs));
    }

    /** The session the kiosk serves at {@code atMs}; empty once its kiosk session is over. */
    Optional<ShopperSession> at(String kioskId, long atMs) {
        KioskSession current = byKiosk.get(kioskId);
        if (current == null) {
            return Optional.empty();
        }
        if (atMs >= current.untilMs()) {
            byKiosk.remove(kioskId, current);
            return Optional.empty();
        }
        return Optional.of(current.session());
    }

    @Override
    public void started(ShopperSession session) {
        // A kiosk session begins with a scan, not a check-in.
    }

    @Override
    public void ended(String sessionId) {
        byKiosk.values().removeIf(k -> k.session().id().equals(sessionId));
    }

    /** What is linked during a kiosk session follows the shopper's consents as they are now (feedback: analytics). */
    @Override
    public Future<Void> consentWithdrawn(ShopperSession session, Consent consent) {
        update(session);
        return Future.succeededFuture();
    }

    @Override
    public void consentGiven(ShopperSession session, Consent consent) {
        update(session);
    }

    private void update(ShopperSession session) {
        byKiosk.replaceAll((kiosk, k) -> k.session().id().equals(session.id())
                ? new KioskSession(session, k.untilMs()) : k);
    }
}
