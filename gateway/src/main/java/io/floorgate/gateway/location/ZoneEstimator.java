package io.floorgate.gateway.location;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides each linked shopper's zone from the receivers' readings of their phone.
 *
 * <p>Per session and receiver, RSSI is smoothed exponentially in dB with a time constant of
 * {@link #SMOOTHING_TIME_CONSTANT_MS} (shadowing noise is Gaussian in dB, so the mean in dB is the
 * unbiased one), and a reading older than {@link #READING_TTL_MS} no longer counts. A zone's score is
 * the sum of the linear power (mW) of its receivers' smoothed readings. Linear power rather than a
 * nearest-receiver vote: path loss makes the nearest receiver dominate by itself (a receiver twice as far
 * is about 6.6 dB, 4.6 times, weaker), yet two receivers of one zone that both hear the shopper
 * outweigh a single slightly stronger receiver across a wall, and a vote would flip on every 1 dB of noise.
 *
 * <p>Hysteresis: the shopper stays in the current zone until another zone has led for
 * {@link #SWITCH_HOLD_MS} without a break and then beats it by {@link #SWITCH_MARGIN_DB}. The margin is
 * checked at the end of the hold, not at every reading: with σ = 5 dB per report one dip below the margin
 * would restart the hold, and a shopper who walked on would be switched many seconds late. The change is
 * then dated back to when that zone began to lead, so entries, exits and dwell are not late by the hold. A shopper not heard
 * for {@link #LOST_AFTER_MS} has left the zone (out of range, or the phone went to sleep).
 *
 * <p>Confidence is the current zone's share of the total power minus the best other zone's share,
 * clipped to 0..1: 1 when only the current zone hears the shopper, near 0 on a border.
 *
 * <p>Thread: not thread-safe; lives on the location stage's own context (see {@link LocationStage}).
 */
public final class ZoneEstimator {

    /** Receivers report about once a second: 2 s averages two to three reports, σ 5 dB → about 2.5 dB. */
    public static final long SMOOTHING_TIME_CONSTANT_MS = 2_000;
    /** A receiver that has not heard the phone for this long no longer votes. */
    public static final long READING_TTL_MS = 5_000;
    /** Another zone must lead for this long without a break... */
    public static final long SWITCH_HOLD_MS = 2_000;
    /** ...and then be twice as strong (3 dB) as the current one to take over. */
    public static final double SWITCH_MARGIN_DB = 3.0;
    /** Not heard by any receiver for this long: the shopper has left the zone. */
    public static final long LOST_AFTER_MS = 30_000;

    private static final double SWITCH_RATIO = Math.pow(10, SWITCH_MARGIN_DB / 10);

    private final ZoneChangeListener changes;
    private final Map<String, Track> tracks = new HashMap<>();

    public ZoneEstimator(ZoneChangeListener changes) {
        this.changes = changes;
    }

    /**
     * Takes one receiver's reading of one session's phone and decides again.
     *
     * @return where the shopper is now, empty until first decided
     */
    public Optional<ShopperLocation> observe(String sessionId, String receiverId, String receiverZone, double rssiDbm,
                                             long atMs) {
        Track track = tracks.computeIfAbsent(sessionId, Track::new);
        track.read(receiverId, receiverZone, rssiDbm, atMs);
        return track.decide(atMs);
    }

    public Optional<ShopperLocation> locationOf(String sessionId) {
        Track track = tracks.get(sessionId);
        return track == null ? Optional.empty() : track.location();
    }

    /** The session ended: closes its open visit at {@code atMs} and forgets it. */
    public void forget(String sessionId, long atMs) {
        Track track = tracks.remove(sessionId);
        if (track != null) {
            track.leave(atMs);
        }
    }

    /** The gateway stops: closes every open visit at {@code atMs} and forgets everyone. */
    public void forgetAll(long atMs) {
        List<Track> all = new ArrayList<>(tracks.values());
        tracks.clear();
        all.forEach(track -> track.leave(atMs));
    }

    /**
     * Closes the visits of shoppers no receiver has heard for {@link #LOST_AFTER_MS} and forgets them.
     *
     * @return the sessions forgotten
     */
    public List<String> expire(long nowMs) {
        List<String> lost = new ArrayList<>();
        for (Iterator<Track> it = tracks.values().iterator(); it.hasNext(); ) {
            Track track = it.next();
            if (nowMs - track.lastHeardMs >= LOST_AFTER_MS) {
                it.remove();
                track.leave(track.lastHeardMs);
                lost.add(track.sessionId);
            }
        }
        return lost;
    }

    public int tracked() {
        return tracks.size();
    }

    /** One receiver's smoothed view of one phone; the linear power is kept so a decision costs no pow(). */
    private static final class Reading {
        final String zoneId;
        double smoothedDbm;
        double milliwatts;
        long atMs;

        Reading(String zoneId, double dbm, long atMs) {
            this.zoneId = zoneId;
            this.atMs = atMs;
            set(dbm);
        }

        void add(double dbm, long nowMs) {
            long dt = nowMs - atMs;
            if (dt >= READING_TTL_MS) {
                set(dbm);
            } else if (dt > 0) {
                double alpha = 1 - Math.exp(-(double) dt / SMOOTHING_TIME_CONSTANT_MS);
                set(smoothedDbm + alpha * (dbm - smoothedDbm));
            }
            atMs = Math.max(atMs, nowMs);
        }

        private void set(double dbm) {
            smoothedDbm = dbm;
            milliwatts = Math.pow(10, dbm / 10);
        }
    }

    /** One session's readings and decided zone. */
    private final class Track {
        final String sessionId;
        final Map<String, Reading> readings = new HashMap<>();
        final Map<String, Double> powerByZone = new HashMap<>();
        String zoneId;
        long sinceMs;
        double confidence;
        String candidate;
        long candidateSinceMs;
        long lastHeardMs;

        Track(String sessionId) {
            this.sessionId = sessionId;
        }

        void read(String receiverId, String receiverZone, double dbm, long atMs) {
            Reading reading = readings.get(receiverId);
            if (reading == null) {
                readings.put(receiverId, new Reading(receiverZone, dbm, atMs));
            } else {
                reading.add(dbm, atMs);
            }
            lastHeardMs = Math.max(lastHeardMs, atMs);
        }

        Optional<ShopperLocation> decide(long nowMs) {
            powerByZone.clear();
            double total = 0;
            for (Iterator<Reading> it = readings.values().iterator(); it.hasNext(); ) {
                Reading r = it.next();
                if (nowMs - r.atMs > READING_TTL_MS) {
                    it.remove();
                    continue;
                }
                powerByZone.merge(r.zoneId, r.milliwatts, Double::sum);
                total += r.milliwatts;
            }
            String best = null;
            double bestPower = 0;
            for (Map.Entry<String, Double> e : powerByZone.entrySet()) {
                if (e.getValue() > bestPower) {
                    best = e.getKey();
                    bestPower = e.getValue();
                }
            }
            if (best == null) {
                return location();
            }
            if (zoneId == null) {
                enter(best, nowMs);
            } else if (best.equals(zoneId)) {
                candidate = null;
            } else if (!best.equals(candidate)) {
                candidate = best;
                candidateSinceMs = nowMs;
            } else if (nowMs - candidateSinceMs >= SWITCH_HOLD_MS
                    && bestPower >= SWITCH_RATIO * powerByZone.getOrDefault(zoneId, 0.0)) {
                changes.exited(new ZoneExit(sessionId, zoneId, sinceMs, candidateSinceMs));
                enter(best, candidateSinceMs);
            }
            confidence = confidence(total);
            return location();
        }

        private void enter(String zone, long atMs) {
            zoneId = zone;
            sinceMs = atMs;
            candidate = null;
            changes.entered(new ZoneEntry(sessionId, zone, atMs));
        }

        private double confidence(double total) {
            double own = powerByZone.getOrDefault(zoneId, 0.0);
            double otherBest = 0;
            for (Map.Entry<String, Double> e : powerByZone.entrySet()) {
                if (!e.getKey().equals(zoneId)) {
                    otherBest = Math.max(otherBest, e.getValue());
                }
            }
            return Math.max(0, Math.min(1, (own - otherBest) / total));
        }

        Optional<ShopperLocation> location() {
            return zoneId == null ? Optional.empty() : Optional.of(new ShopperLocation(zoneId, sinceMs, confidence));
        }

        void leave(long atMs) {
            if (zoneId != null) {
                changes.exited(new ZoneExit(sessionId, zoneId, sinceMs, Math.max(sinceMs, atMs)));
            }
        }
    }
}
