package io.floorgate.gateway.linking;

import java.util.Optional;
import java.util.function.LongSupplier;

import com.google.protobuf.ByteString;
import io.vertx.core.Future;

/**
 * Resolves a heard rotating BLE advertising id to the session that advertises it, in one hash lookup.
 *
 * <p>The scheme (DESIGN, "never a stable id"): the app advertises the first 16 bytes of
 * HMAC-SHA256(advertising key, slot as an 8-byte big-endian long), slot = floorDiv(epoch ms, rotation
 * period). For every active session with location consent this holds the ids of the previous, current
 * and next slot, so a phone whose clock is up to one period off still resolves. Sessions without
 * location consent are never added: their ids resolve to nothing and count only as anonymous. A withdrawn location
 * consent takes the session's ids out at once; a consent given later puts them back.
 *
 * <p>Threads: {@link #resolve} is called on ingest event loops and never blocks; {@link #refresh} runs on a worker
 * every {@link #REFRESH_INTERVAL_MS}; see {@link RotatingIdTable}.
 */
public final class AdvertisedIdResolver implements SessionListener {

    /** How often windows are rolled: well under any rotation period, so the next slot's id is always held. */
    public static final long REFRESH_INTERVAL_MS = 1_000;
    /** BLE ids hash the slot alone (the scheme apps were first given, so it stays as it is). */
    private static final byte[] NO_LABEL = new byte[0];

    private final RotatingIdTable ids;

    public AdvertisedIdResolver(LongSupplier clockMs) {
        this.ids = new RotatingIdTable(NO_LABEL, ShopperSession::locationConsent, clockMs);
    }

    /** Subscribes to the directory and takes in the sessions already active. */
    public void attach(SessionDirectory directory) {
        directory.subscribe(this);
        directory.active().forEach(this::started);
    }

    /** The session advertising this id now; empty for any other advertiser, or a shopper without consent. */
    public Optional<String> resolve(ByteString observedId) {
        return AdvertisedId.of(observedId).flatMap(ids::resolve);
    }

    /** True while the session is active with location consent: its sightings may be located. */
    public boolean isLinked(String sessionId) {
        return ids.holds(sessionId);
    }

    @Override
    public void started(ShopperSession session) {
        ids.started(session);
    }

    @Override
    public void ended(String sessionId) {
        ids.ended(sessionId);
    }

    /** Subscribed before the location stage, so its ids no longer resolve before the stage lets go of the shopper. */
    @Override
    public Future<Void> consentWithdrawn(ShopperSession session, Consent consent) {
        if (consent == Consent.LOCATION) {
            ids.ended(session.id());
        }
        return Future.succeededFuture();
    }

    @Override
    public void consentGiven(ShopperSession session, Consent consent) {
        if (consent == Consent.LOCATION) {
            ids.started(session);
        }
    }

    /** Rolls every window whose slot has changed: drops ids older than the previous slot, adds the next. */
    public void refresh() {
        ids.refresh();
    }

    /** How many ids are held: three per consenting session. */
    public int heldIds() {
        return ids.heldIds();
    }
}
