package io.floorgate.gateway.linking;

import java.nio.ByteBuffer;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * For every admitted open session, the 16-byte ids derived from its key for the previous, current and next time
 * slot, in one hash map from id to session: resolving a presented id is one lookup. What the ids are for (BLE
 * advertising, touch tokens) is told apart by a label hashed in front of the slot.
 *
 * <p>The derivation: first 16 bytes of HMAC-SHA256(key, label || slot as 8-byte big-endian), slot =
 * floorDiv(epoch ms, the session's rotation period). The previous and next slot are held as well, so a phone whose
 * clock is up to one period off still resolves.
 *
 * <p>Memory: a session costs its three ids, their map entries and a small window (a few hundred bytes); the key is
 * the session's own array, and the HMAC is a per-thread instance keyed afresh for each id, so 20,000 sessions do
 * not each hold a {@link Mac}.
 *
 * <p>Threads: {@link #resolve} only reads a {@link ConcurrentHashMap} and may be called on any event loop.
 * {@link #started} and {@link #ended} run on whichever thread changed the session (three HMACs at most);
 * {@link #refresh} runs on a worker and rolls each window at its slot boundary, incrementally, so lookups never
 * wait for a rebuild. A window is guarded by its own monitor, so a refresh and an end of one session do not
 * interleave.
 */
final class RotatingIdTable implements SessionListener {

    /** Slots held either side of the current one: one period of clock skew between phone and gateway. */
    static final int SKEW_SLOTS = 1;
    private static final int WIDTH = 2 * SKEW_SLOTS + 1;
    private static final String HMAC = "HmacSHA256";
    private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance(HMAC);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has " + HMAC, e);
        }
    });

    private final byte[] label;
    private final Predicate<ShopperSession> admits;
    private final LongSupplier clockMs;
    private final Map<AdvertisedId, String> sessionById = new ConcurrentHashMap<>();
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    /**
     * @param label  hashed before the slot; empty for the BLE advertising ids
     * @param admits which sessions get ids at all; the others resolve to nothing
     */
    RotatingIdTable(byte[] label, Predicate<ShopperSession> admits, LongSupplier clockMs) {
        this.label = label.clone();
        this.admits = admits;
        this.clockMs = clockMs;
    }

    /** First 16 bytes of HMAC-SHA256(key, label || slot as 8-byte big-endian). */
    static AdvertisedId derive(byte[] key, byte[] label, long slot) {
        Mac mac = MAC.get();
        try {
            mac.init(new SecretKeySpec(key, HMAC));
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("unusable session key", e);
        }
        mac.update(label);
        return AdvertisedId.of(mac.doFinal(ByteBuffer.allocate(Long.BYTES).putLong(slot).array()));
    }

    Optional<String> resolve(AdvertisedId id) {
        return Optional.ofNullable(sessionById.get(id));
    }

    boolean holds(String sessionId) {
        return windows.containsKey(sessionId);
    }

    int heldIds() {
        return sessionById.size();
    }

    @Override
    public void started(ShopperSession session) {
        if (!admits.test(session) || windows.containsKey(session.id())) {
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
    void refresh() {
        long now = clockMs.getAsLong();
        for (Window window : windows.values()) {
            synchronized (window) {
                window.roll(now);
            }
        }
    }

    /** One session's ids: {@code ids[i]} is the id of slot {@code centreSlot - SKEW_SLOTS + i}. Guarded by its monitor. */
    private final class Window {
        private final String sessionId;
        private final byte[] key;
        private final long periodMs;
        private final AdvertisedId[] ids = new AdvertisedId[WIDTH];
        private long centreSlot;
        private boolean rolled;
        private boolean cleared;

        Window(ShopperSession session) {
            this.sessionId = session.id();
            this.key = session.advertisingKey();
            this.periodMs = session.rotationPeriod().toMillis();
        }

        void roll(long nowMs) {
            long slot = Math.floorDiv(nowMs, periodMs);
            if (cleared || rolled && slot == centreSlot) {
                return;
            }
            AdvertisedId[] next = new AdvertisedId[WIDTH];
            for (int i = 0; rolled && i < WIDTH; i++) {
                long heldSlot = centreSlot - SKEW_SLOTS + i;
                if (Math.abs(heldSlot - slot) <= SKEW_SLOTS) {
                    next[(int) (heldSlot - slot) + SKEW_SLOTS] = ids[i];
                } else {
                    sessionById.remove(ids[i], sessionId);
                }
            }
            for (int i = 0; i < WIDTH; i++) {
                if (next[i] == null) {
                    next[i] = derive(key, label, slot - SKEW_SLOTS + i);
                    sessionById.put(next[i], sessionId);
                }
                ids[i] = next[i];
            }
            centreSlot = slot;
            rolled = true;
        }

        void clear() {
            cleared = true;
            for (AdvertisedId id : ids) {
                if (id != null) {
                    sessionById.remove(id, sessionId);
                }
            }
        }
    }
}
