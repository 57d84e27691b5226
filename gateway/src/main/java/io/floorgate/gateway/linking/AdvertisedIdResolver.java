package io.floorgate.gateway.linking;

import java.nio.ByteBuffer;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.google.protobuf.ByteString;

/**
 * Resolves a heard rotating advertising id to the session that advertises it, in one hash lookup.
 *
 * <p>The scheme (DESIGN, "never a stable id"): the app advertises the first 16 bytes of
 * HMAC-SHA256(advertising key, slot as an 8-byte big-endian long), slot = floorDiv(epoch ms, rotation
 * period). For every active session with location consent this holds the ids of the previous, current
 * and next slot, so a phone whose clock is up to one period off still resolves. Sessions without
 * location consent are never added: their ids resolve to nothing and count only as anonymous.
 *
 * <p>Threads: {@link #resolve} is called on ingest event loops and only reads a {@link ConcurrentHashMap}.
 * {@link #started} and {@link #ended} run on whichever thread changed the session (three HMACs at most);
 * {@link #refresh} runs on a worker every {@link #REFRESH_INTERVAL_MS} and rolls each session's window at
 * its slot boundary, incrementally, so lookups never wait for a rebuild. A session's own window is
 * guarded by its monitor, so a refresh and an end of the same session do not interleave.
 */
public final class AdvertisedIdResolver implements SessionListener {

    /** How often windows are rolled: well under any rotation period, so the next slot's id is always held. */
    public static final long REFRESH_INTERVAL_MS = 1_000;
    /** Slots held either side of the current one: one period of clock skew between phone and gateway. */
    private static final int SKEW_SLOTS = 1;
    private static final String HMAC = "HmacSHA256";

    private final Map<AdvertisedId, String> sessionByAdvertisedId = new ConcurrentHashMap<>();
    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final LongSupplier clockMs;

    public AdvertisedIdResolver(LongSupplier clockMs) {
        this.clockMs = clockMs;
    }

    /** Subscribes to the directory and takes in the sessions already active. */
    public void attach(SessionDirectory directory) {
        directory.subscribe(this);
        directory.active().forEach(this::started);
    }

    /** The session advertising this id now; empty for any other advertiser, or a shopper without consent. */
    public Optional<String> resolve(ByteString observedId) {
        return AdvertisedId.of(observedId).map(sessionByAdvertisedId::get);
    }

    /** True while the session is active with location consent: its sightings may be located. */
    public boolean isLinked(String sessionId) {
        return windows.containsKey(sessionId);
    }

    @Override
    public void started(ShopperSession session) {
        if (!session.locationConsent() || windows.containsKey(session.id())) {
            return;
        }
        Window window = new Window(session);
        synchronized (window) {
            // Told twice (attach races a start): the first window stays.
            if (windows.putIfAbsent(session.id(), window) == null) {
                window.roll(clockMs.getAsLong());
            }
        }
    }

    @Override
    public void ended(String sessionId) {
        Window window = windows.remove(sessionId);
        if (window != null) {
            synchronized (window) {
                window.clear();
            }
        }
    }

    /** Rolls every window whose slot has changed: drops ids older than the previous slot, adds the next. */
    public void refresh() {
        long now = clockMs.getAsLong();
        for (Window window : windows.values()) {
            synchronized (window) {
                window.roll(now);
            }
        }
    }

    /** How many ids are held: three per consenting session. */
    public int heldIds() {
        return sessionByAdvertisedId.size();
    }

    /** One session's ids by slot. Guarded by its own monitor. */
    private final class Window {
        private final String sessionId;
        private final Mac mac;
        private final long periodMs;
        private final Map<Long, AdvertisedId> idBySlot = new HashMap<>();
        private long centreSlot = Long.MIN_VALUE;
        private boolean cleared;

        Window(ShopperSession session) {
            this.sessionId = session.id();
            this.periodMs = session.rotationPeriod().toMillis();
            try {
                this.mac = Mac.getInstance(HMAC);
                mac.init(new SecretKeySpec(session.advertisingKey(), HMAC));
            } catch (NoSuchAlgorithmException | InvalidKeyException e) {
                throw new IllegalArgumentException("session " + sessionId + " has an unusable advertising key", e);
            }
        }

        void roll(long nowMs) {
            long slot = Math.floorDiv(nowMs, periodMs);
            if (cleared || slot == centreSlot) {
                return;
            }
            centreSlot = slot;
            for (Iterator<Map.Entry<Long, AdvertisedId>> it = idBySlot.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Long, AdvertisedId> held = it.next();
                if (Math.abs(held.getKey() - slot) > SKEW_SLOTS) {
                    sessionByAdvertisedId.remove(held.getValue(), sessionId);
                    it.remove();
                }
            }
            for (long s = slot - SKEW_SLOTS; s <= slot + SKEW_SLOTS; s++) {
                if (!idBySlot.containsKey(s)) {
                    AdvertisedId id = idFor(s);
                    idBySlot.put(s, id);
                    sessionByAdvertisedId.put(id, sessionId);
                }
            }
        }

        void clear() {
            cleared = true;
            idBySlot.values().forEach(id -> sessionByAdvertisedId.remove(id, sessionId));
            idBySlot.clear();
        }

        private AdvertisedId idFor(long slot) {
            return AdvertisedId.of(mac.doFinal(ByteBuffer.allocate(Long.BYTES).putLong(slot).array()));
        }
    }
}
