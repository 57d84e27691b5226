package io.floorgate.gateway.location;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;

import io.floorgate.config.Point;

/**
 * Decides each linked shopper's zone from the receivers' readings of their phone, by tracking where on the
 * floor the phone is with a particle filter: {@link #PARTICLES} guesses of the shopper's position and gait per
 * session, each weighted by how well it explains what the receivers heard.
 *
 * <p>A reading is a receiver's mean RSSI over the advertisements it heard in its report window, and how many.
 * Each particle's weight takes the log-distance path-loss model: the reading's error against the RSSI expected
 * at the particle's distance from the receiver is Gaussian in dB, {@link #SHADOWING_SIGMA_DB} per
 * advertisement, so a mean over n advertisements counts n times. An error beyond {@link #OUTLIER_SIGMAS} of
 * the mean costs no more than that: a body or a trolley between phone and receiver takes 10 to 20 dB off one
 * reading, and one such reading must not wipe out the right guesses.
 *
 * <p>Between readings every particle walks as shoppers do: standing still, or walking in a slowly turning
 * direction at its own pace of {@link #MIN_WALK_MPS} to {@link #MAX_WALK_MPS}, and switching between the two
 * now and then. A particle never walks into a zone the configuration does not make adjacent to the one it is in
 * (shelving between aisles), nor off the floor. When the weights concentrate on few particles, they are drawn
 * again in proportion to their weight (systematic resampling) and nudged apart ({@link #KERNEL_SHARE}).
 *
 * <p>Receivers hear only advertisements above their sensitivity, so far receivers report the mean of the
 * stronger ones; the model expects exactly that ({@link #heardMeanAbove}), which halves the position error of
 * a standing shopper.
 *
 * <p>A shopper heard for the first time is looked for where that first reading allows: every particle at a
 * distance from the receiver drawn from the reading, in any direction, on the floor; a first reading that leaves
 * no doubt decides a zone at once (a phone heard at -45 dBm is taken to be at that receiver, not anywhere), see
 * {@link #SURE_FIRST_DECISION}.
 *
 * <p>The zone is where most of the weight lies. Hysteresis: another zone takes over only when it holds
 * {@link #SWITCH_MARGIN} more of the weight than the current zone; the change is dated back to when that zone
 * began to lead, so entries, exits and dwell are not late by the margin. Decisions are taken by
 * {@link #settle}, which the stage calls every few tens of milliseconds, so that all the readings of one report
 * round are in before the zone is decided again. A shopper not heard for {@link #LOST_AFTER_MS} has left the
 * zone (out of range, or the phone went to sleep).
 *
 * <p>Confidence is the share of the weight in the decided zone.
 *
 * <p>Cost per shopper: a reading is one pass over the particles (a logarithm each), a walking step another,
 * a decision a third; memory is about {@link #PARTICLES} × 22 bytes. The random stream is seeded, so the same
 * readings give the same zones (tests and replays are repeatable).
 *
 * <p>Thread: not thread-safe; lives on the location stage's own context (see {@link LocationStage}).
 */
public final class ZoneEstimator {

    /**
     * Enough to hold a walking and a standing hypothesis across two zones at once; the cost is linear in it. In
     * the replay (LocationReplayTest) 64 particles placed 90.3 % of shopper-seconds right, 96 and 128 both 91.6 %.
     */
    public static final int PARTICLES = 96;
    /** Shadowing per advertisement, dB: indoor BLE is typically 4 to 8 dB. */
    public static final double SHADOWING_SIGMA_DB = 5.0;
    /** Path-loss exponent of a shop floor with shelving (2 is free space); typical indoor values are 1.8 to 3. */
    public static final double PATH_LOSS_EXPONENT = 2.2;
    /** A reading's error counts at most this many of its standard deviations (see the class comment). */
    static final double OUTLIER_SIGMAS = 3.5;
    /** Phones that do not advertise their calibrated 1 m power are taken to have a typical one. */
    static final int DEFAULT_TX_POWER_DBM = -59;
    /**
     * A report's weight stops growing at this many advertisements: a receiver reporting every 250 ms for a
     * second hears about 4, and a phone advertising faster should not drown out every other receiver.
     */
    static final int MAX_COUNTED_ADVERTISEMENTS = 8;
    /**
     * Receivers drop advertisements weaker than this (BLE receivers decode down to about -95 to -100 dBm). A far
     * receiver therefore reports the mean of only the luckier advertisements: read as if unbiased, its
     * readings pull every position towards it by metres. The model expects that mean instead (see
     * {@link #heardMeanAbove}).
     */
    static final double SENSITIVITY_DBM = -100;
    /**
     * The far-field model fails closer than this: a phone held against a receiver reads some 20 dB over its 1 m
     * power (about -40 dBm), not ever more. A larger floor makes such a reading an outlier everywhere.
     */
    static final double MIN_DISTANCE_M = 0.1;

    /** The walking step: a shopper covers at most 0.4 m in it, so no step jumps over a 1 m wide zone. */
    public static final long STEP_MS = 250;
    /** Slowest and fastest walking pace of a particle; shoppers stroll at 0.5 to 1.4 m/s. */
    static final double MIN_WALK_MPS = 0.3;
    static final double MAX_WALK_MPS = 1.6;
    /** Mean time a walking particle keeps walking, and a standing one keeps standing. */
    static final double MEAN_WALK_S = 10;
    static final double MEAN_STAND_S = 20;
    /** Mean time a walking particle keeps its direction before it turns, at a corner or a shelf end. */
    static final double MEAN_STRAIGHT_S = 10;
    /** How fast a walking particle's direction drifts, radians per square root of a second. */
    static final double TURN_RAD_PER_SQRT_S = 0.3;
    /**
     * Resampled twins are nudged apart by this share of the cloud's spread, shrunk towards its mean so that the
     * spread itself does not grow (Liu and West's kernel): without it standing twins would stay one guess for
     * ever, and a fixed nudge would make a standing shopper's position forget what it learnt.
     */
    static final double KERNEL_SHARE = 0.15;
    /** Resample when the effective number of particles falls below this share of them. */
    static final double RESAMPLE_BELOW = 0.5;
    /**
     * At each resampling this share of the particles is drawn afresh around the receiver that heard the phone
     * loudest in the last second, at the distance its reading implies: if the filter has lost the shopper
     * behind a shelf it cannot walk through, these find them again.
     */
    static final double INJECTED_SHARE = 0.03;
    /** A loudest reading older than this says nothing of where the shopper is now. */
    static final long LOUDEST_READING_TTL_MS = 1_000;
    /** Tries at drawing a point on the floor at the distance a reading implies. */
    static final int PLACING_ATTEMPTS = 8;
    /** How far from a reader or kiosk a shopper who used it stands. */
    static final double ARM_REACH_M = 0.8;
    /** Longer than this without a reading, and the particles have walked anywhere: look afresh. */
    static final long MAX_PREDICT_MS = 15_000;

    /**
     * A shopper heard for the first time is decided at once when the first reading puts this share of the weight
     * in one zone (a phone right next to a receiver); else at the next {@link #settle}, once the round's other
     * readings are in. One reading alone only says how far from one receiver the phone is, a circle that may
     * cross several zones: a shopper just checked in at the entrance must not be "seen" at the pickup counter.
     */
    static final double SURE_FIRST_DECISION = 0.9;
    /** A shopper heard this long without a clear first zone gets the leading one. */
    static final long MAX_UNDECIDED_MS = 3_000;
    /** Another zone takes over when it holds this much more of the weight than the current zone (0.7 against 0.3). */
    public static final double SWITCH_MARGIN = 0.4;
    /** Not heard by any receiver for this long: the shopper has left the zone. */
    public static final long LOST_AFTER_MS = 30_000;

    /** 10 n log10(d) = PATH_LOSS_PER_LN_D2 × ln(d²). */
    private static final float PATH_LOSS_PER_LN_D2 = (float) (10 * PATH_LOSS_EXPONENT / (2 * Math.log(10)));
    private static final float MIN_DISTANCE_SQUARED = (float) (MIN_DISTANCE_M * MIN_DISTANCE_M);
    private static final float OUTLIER_COST = (float) (OUTLIER_SIGMAS * OUTLIER_SIGMAS / 2);
    private static final int NORMALS = 1 << 12;
    /** The filter's random stream: fixed, so runs repeat; nothing secret is drawn from it. */
    private static final long SEED = 0x5EED_F100_46A7_EL;

    private final ZoneChangeListener changes;
    private final Map<String, Track> tracks = new HashMap<>();
    private final List<Track> unsettled = new ArrayList<>();
    private final SplittableRandom rng = new SplittableRandom(SEED);
    /** Standard normal draws, made once: the walk needs one per walking particle per step, and a table is cheaper. */
    private final float[] normals = new float[NORMALS];
    private FloorMap floor;
    private double[] zoneMass;
    private final float[] point = new float[2];
    // Scratch space of resampling, shared by all tracks: the estimator is single-threaded.
    private final int[] picks = new int[PARTICLES];
    private final float[] weights = new float[PARTICLES];
    private final float[] spareX = new float[PARTICLES];
    private final float[] spareY = new float[PARTICLES];
    private final float[] spareHeading = new float[PARTICLES];
    private final float[] spareSpeed = new float[PARTICLES];
    private final short[] spareZone = new short[PARTICLES];

    public ZoneEstimator(FloorMap floor, ZoneChangeListener changes) {
        this.changes = changes;
        for (int i = 0; i < NORMALS; i++) {
            normals[i] = (float) rng.nextGaussian();
        }
        this.floor = floor;
        this.zoneMass = new double[floor.zoneIds().size()];
    }

    /**
     * A new configuration: readings are interpreted on the new floor from now on. Each shopper is looked for
     * afresh at the next reading; decided zones stand unless the new floor lacks them.
     */
    public void use(FloorMap newFloor, long atMs) {
        FloorMap old = this.floor;
        this.floor = newFloor;
        this.zoneMass = new double[newFloor.zoneIds().size()];
        tracks.values().forEach(track -> track.restart(old, atMs));
    }

    /**
     * Takes one receiver's reading of one session's phone. A shopper heard for the first time is decided at once
     * when the reading leaves no doubt ({@link #SURE_FIRST_DECISION}); otherwise, and after that, {@link #settle}
     * decides.
     *
     * @param txPowerDbm the phone's calibrated power at 1 m as advertised, 0 when unknown
     * @param count      advertisements the reading averages
     * @return where the shopper is now, empty until first decided
     */
    public Optional<ShopperLocation> observe(String sessionId, String receiverId, int rssiDbm, int txPowerDbm,
                                             int count, long atMs) {
        int receiver = floor.receiver(receiverId);
        Track track = tracks.get(sessionId);
        if (receiver < 0) {
            return track == null ? Optional.empty() : track.location();
        }
        float tx = txPowerDbm == 0 ? DEFAULT_TX_POWER_DBM : txPowerDbm;
        float offset = rssiDbm - tx;
        int counted = Math.min(Math.max(count, 1), MAX_COUNTED_ADVERTISEMENTS);
        float weight = (float) (counted / (2 * SHADOWING_SIGMA_DB * SHADOWING_SIGMA_DB));
        if (track == null) {
            track = new Track(sessionId, atMs);
            tracks.put(sessionId, track);
        }
        track.lastHeardMs = Math.max(track.lastHeardMs, atMs);
        if (track.lost(atMs)) {
            track.scatter(receiver, offset, weight, atMs);
        } else {
            track.walkTo(atMs);
            track.hear(receiver, offset, weight, atMs);
            track.read(receiver, offset, tx, weight);
        }
        if (track.zone < 0 && track.leaderShare() >= SURE_FIRST_DECISION) {
            track.decide(atMs);
        } else if (!track.unsettled) {
            track.unsettled = true;
            unsettled.add(track);
        }
        return track.location();
    }

    /**
     * The shopper tapped an NFC reader or scanned a code at a kiosk: they stand within arm's reach of it now,
     * which no radio reading says as surely. The particles start again there, standing, and the zone is decided
     * at once.
     *
     * @return where the shopper is now; empty when the device is not on this floor
     */
    public Optional<ShopperLocation> touched(String sessionId, String deviceId, long atMs) {
        Optional<Point> at = floor.devicePosition(deviceId);
        if (at.isEmpty() || floor.zoneAt((float) at.get().x(), (float) at.get().y()) < 0) {
            return locationOf(sessionId);
        }
        Track track = tracks.computeIfAbsent(sessionId, id -> new Track(id, atMs));
        track.lastHeardMs = Math.max(track.lastHeardMs, atMs);
        track.standAt((float) at.get().x(), (float) at.get().y(), atMs);
        track.decide(atMs);
        return track.location();
    }

    /** Decides again for every shopper read since the last call, and tells {@code decided} where each is now. */
    public void settle(long nowMs, BiConsumer<String, ShopperLocation> decided) {
        for (Track track : unsettled) {
            track.unsettled = false;
            if (tracks.get(track.sessionId) == track) {
                track.decide(nowMs);
                track.location().ifPresent(l -> decided.accept(track.sessionId, l));
            }
        }
        unsettled.clear();
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

    /** One session's particles and decided zone. */
    private final class Track {
        final String sessionId;
        final float[] x = new float[PARTICLES];
        final float[] y = new float[PARTICLES];
        final float[] heading = new float[PARTICLES];
        /** m/s while walking; 0 while standing. */
        final float[] speed = new float[PARTICLES];
        final short[] zoneOf = new short[PARTICLES];
        /** ln of each particle's weight, the largest kept at 0. */
        final float[] logWeight = new float[PARTICLES];
        /** Scattered with no particles yet, or after a new configuration. */
        boolean fresh = true;
        long walkedToMs;
        long lastHeardMs = Long.MIN_VALUE;
        final long firstHeardMs;
        boolean unsettled;
        int loudestReceiver = -1;
        float loudestOffset;
        float loudestWeight;
        long loudestAtMs;
        int zone = -1;
        long sinceMs;
        double confidence;
        int candidate = -1;
        long candidateSinceMs;

        Track(String sessionId, long firstHeardMs) {
            this.sessionId = sessionId;
            this.firstHeardMs = firstHeardMs;
        }

        boolean lost(long atMs) {
            return fresh || atMs - walkedToMs > MAX_PREDICT_MS;
        }

        /** Anywhere on the floor, as the first reading allows: it is already counted in the particles drawn. */
        void scatter(int receiver, float offset, float weight, long atMs) {
            for (int p = 0; p < PARTICLES; p++) {
                if (!placeNear(p, receiver, offset, weight)) {
                    floor.randomPoint(rng, point);
                    x[p] = point[0];
                    y[p] = point[1];
                    zoneOf[p] = (short) floor.zoneAt(x[p], y[p]);
                    gait(p);
                }
                logWeight[p] = 0;
            }
            fresh = false;
            walkedToMs = atMs;
        }

        /** Every particle within {@link #ARM_REACH_M} of the point, on the floor, standing. */
        void standAt(float px, float py, long atMs) {
            int zoneThere = floor.zoneAt(px, py);
            for (int p = 0; p < PARTICLES; p++) {
                x[p] = px;
                y[p] = py;
                zoneOf[p] = (short) zoneThere;
                speed[p] = 0;
                heading[p] = 0;
                logWeight[p] = 0;
                double r = ARM_REACH_M * Math.sqrt(rng.nextDouble());
                double angle = rng.nextDouble() * 2 * Math.PI;
                moveTo(p, px + (float) (r * Math.cos(angle)), py + (float) (r * Math.sin(angle)));
            }
            fresh = false;
            walkedToMs = atMs;
        }

        /** A new gait: standing, or walking in a random direction, in the long-run shares of the two. */
        private void gait(int p) {
            heading[p] = (float) (rng.nextDouble() * 2 * Math.PI);
            speed[p] = rng.nextDouble() * (MEAN_WALK_S + MEAN_STAND_S) < MEAN_WALK_S
                    ? (float) (MIN_WALK_MPS + rng.nextDouble() * (MAX_WALK_MPS - MIN_WALK_MPS)) : 0f;
        }

        /** The decided zone stands if the new floor still has it, else the shopper has left it now. */
        void restart(FloorMap old, long atMs) {
            fresh = true;
            candidate = -1;
            if (zone >= 0) {
                String id = old.zoneIds().get(zone);
                zone = floor.zoneIds().indexOf(id);
                if (zone < 0) {
                    changes.exited(new ZoneExit(sessionId, id, sinceMs, Math.max(sinceMs, atMs)));
                }
            }
        }

        void walkTo(long atMs) {
            long steps = (atMs - walkedToMs) / STEP_MS;
            for (long s = 0; s < steps; s++) {
                step();
            }
            walkedToMs += steps * STEP_MS;
        }

        private void step() {
            float dt = STEP_MS / 1000f;
            double switchToStand = dt / MEAN_WALK_S;
            double switchToWalk = dt / MEAN_STAND_S;
            double switchTurn = dt / MEAN_STRAIGHT_S;
            float turn = (float) (TURN_RAD_PER_SQRT_S * Math.sqrt(dt));
            for (int p = 0; p < PARTICLES; p++) {
                if (speed[p] == 0) {
                    if (rng.nextDouble() < switchToWalk) {
                        heading[p] = (float) (rng.nextDouble() * 2 * Math.PI);
                        speed[p] = (float) (MIN_WALK_MPS + rng.nextDouble() * (MAX_WALK_MPS - MIN_WALK_MPS));
                    }
                    continue;
                }
                if (rng.nextDouble() < switchToStand) {
                    speed[p] = 0;
                    continue;
                }
                if (rng.nextDouble() < switchTurn) {
                    heading[p] = (float) (rng.nextDouble() * 2 * Math.PI);
                }
                heading[p] += normals[rng.nextInt(NORMALS)] * turn;
                float nx = x[p] + speed[p] * dt * (float) Math.cos(heading[p]);
                float ny = y[p] + speed[p] * dt * (float) Math.sin(heading[p]);
                if (!moveTo(p, nx, ny)) {
                    // a shelf or the wall: turn away, as a shopper would, rather than stand against it
                    heading[p] = (float) (rng.nextDouble() * 2 * Math.PI);
                }
            }
        }

        /** Moves particle p when the point is on the floor and walkable from where it is. */
        private boolean moveTo(int p, float nx, float ny) {
            int to = floor.zoneAt(nx, ny);
            if (to < 0 || (to != zoneOf[p] && !floor.walkable(zoneOf[p], to))) {
                return false;
            }
            x[p] = nx;
            y[p] = ny;
            zoneOf[p] = (short) to;
            return true;
        }

        /** Keeps the loudest reading of the last second, for {@link #INJECTED_SHARE}. */
        void hear(int receiver, float offset, float weight, long atMs) {
            if (loudestReceiver < 0 || atMs - loudestAtMs > LOUDEST_READING_TTL_MS || offset > loudestOffset) {
                loudestReceiver = receiver;
                loudestOffset = offset;
                loudestWeight = weight;
                loudestAtMs = atMs;
            }
        }

        private void inject(int p) {
            placeNear(p, loudestReceiver, loudestOffset, loudestWeight);
        }

        /**
         * Puts particle p, with a new gait, at a distance from the receiver that its reading implies and in any
         * direction, if such a point is on the floor within a few tries; else leaves it.
         */
        private boolean placeNear(int p, int receiver, float offset, float weight) {
            double sigmaDb = Math.sqrt(1 / (2 * weight));
            for (int attempt = 0; attempt < PLACING_ATTEMPTS; attempt++) {
                double lossDb = -(offset + rng.nextGaussian() * sigmaDb);
                double distance = Math.max(MIN_DISTANCE_M, Math.pow(10, lossDb / (10 * PATH_LOSS_EXPONENT)));
                double angle = rng.nextDouble() * 2 * Math.PI;
                float nx = floor.receiverX(receiver) + (float) (distance * Math.cos(angle));
                float ny = floor.receiverY(receiver) + (float) (distance * Math.sin(angle));
                int to = floor.zoneAt(nx, ny);
                if (to >= 0) {
                    x[p] = nx;
                    y[p] = ny;
                    zoneOf[p] = (short) to;
                    gait(p);
                    return true;
                }
            }
            return false;
        }

        void read(int receiver, float offset, float tx, float weight) {
            float best = Float.NEGATIVE_INFINITY;
            for (int p = 0; p < PARTICLES; p++) {
                logWeight[p] += cost(receiver, offset, tx, weight, x[p], y[p]);
                best = Math.max(best, logWeight[p]);
            }
            for (int p = 0; p < PARTICLES; p++) {
                logWeight[p] -= best;
            }
            resampleIfDegenerate();
        }

        /**
         * Resamples if the reading left few particles that matter.
         */
        private void resampleIfDegenerate() {
            double sum = 0;
            double sumOfSquares = 0;
            for (int p = 0; p < PARTICLES; p++) {
                float w = exp(logWeight[p]);
                weights[p] = w;
                sum += w;
                sumOfSquares += w * w;
            }
            if (sum * sum < RESAMPLE_BELOW * PARTICLES * sumOfSquares) {
                resample(sum);
            }
        }

        /** Draws the particles again in proportion to {@link #weights}, which hold their weights. */
        private void resample(double sum) {
            pickInProportion(weights, sum, picks);
            System.arraycopy(x, 0, spareX, 0, PARTICLES);
            System.arraycopy(y, 0, spareY, 0, PARTICLES);
            System.arraycopy(heading, 0, spareHeading, 0, PARTICLES);
            System.arraycopy(speed, 0, spareSpeed, 0, PARTICLES);
            System.arraycopy(zoneOf, 0, spareZone, 0, PARTICLES);
            for (int p = 0; p < PARTICLES; p++) {
                int from = picks[p];
                x[p] = spareX[from];
                y[p] = spareY[from];
                heading[p] = spareHeading[from];
                speed[p] = spareSpeed[from];
                zoneOf[p] = spareZone[from];
                logWeight[p] = 0;
            }
            nudgeApart();
        }

        /** The kernel of {@link #KERNEL_SHARE}, and the share of {@link #INJECTED_SHARE} drawn afresh. */
        private void nudgeApart() {
            double meanX = 0;
            double meanY = 0;
            for (int p = 0; p < PARTICLES; p++) {
                meanX += x[p];
                meanY += y[p];
            }
            meanX /= PARTICLES;
            meanY /= PARTICLES;
            double varianceX = 0;
            double varianceY = 0;
            for (int p = 0; p < PARTICLES; p++) {
                varianceX += (x[p] - meanX) * (x[p] - meanX);
                varianceY += (y[p] - meanY) * (y[p] - meanY);
            }
            double spreadX = KERNEL_SHARE * Math.sqrt(varianceX / PARTICLES);
            double spreadY = KERNEL_SHARE * Math.sqrt(varianceY / PARTICLES);
            double shrink = Math.sqrt(1 - KERNEL_SHARE * KERNEL_SHARE);
            for (int p = 0; p < PARTICLES; p++) {
                if (loudestReceiver >= 0 && rng.nextDouble() < INJECTED_SHARE) {
                    inject(p);
                } else {
                    moveTo(p, (float) (shrink * x[p] + (1 - shrink) * meanX + spreadX * rng.nextGaussian()),
                            (float) (shrink * y[p] + (1 - shrink) * meanY + spreadY * rng.nextGaussian()));
                }
            }
        }

        /** Fills {@link #zoneMass} with the weight in each zone; returns the total weight. */
        private double weighZones() {
            Arrays.fill(zoneMass, 0);
            double total = 0;
            for (int p = 0; p < PARTICLES; p++) {
                float w = exp(logWeight[p]);
                if (w > 0) {
                    zoneMass[zoneOf[p]] += w;
                    total += w;
                }
            }
            return total;
        }

        private int leadingZone() {
            int leader = 0;
            for (int z = 1; z < zoneMass.length; z++) {
                if (zoneMass[z] > zoneMass[leader]) {
                    leader = z;
                }
            }
            return leader;
        }

        /**
         * A first zone needs the same lead over the next best as a change does ({@link #SWITCH_MARGIN}), or a
         * shopper heard for {@link #MAX_UNDECIDED_MS} already: on the border of the entrance and the pickup zone a
         * first decision at 51 % would be an arrival half the time.
         */
        private boolean clearFirst(int leader, double total, long nowMs) {
            double runnerUp = 0;
            for (int z = 0; z < zoneMass.length; z++) {
                if (z != leader) {
                    runnerUp = Math.max(runnerUp, zoneMass[z]);
                }
            }
            return zoneMass[leader] - runnerUp >= SWITCH_MARGIN * total || nowMs - firstHeardMs >= MAX_UNDECIDED_MS;
        }

        /** The share of the weight in the zone that holds most of it. */
        double leaderShare() {
            double total = weighZones();
            return zoneMass[leadingZone()] / total;
        }

        void decide(long nowMs) {
            double total = weighZones();
            int leader = leadingZone();
            if (zone < 0) {
                if (!clearFirst(leader, total, nowMs)) {
                    return;
                }
                enter(leader, nowMs);
            } else if (leader == zone) {
                candidate = -1;
            } else if (leader != candidate) {
                candidate = leader;
                candidateSinceMs = nowMs;
            }
            if (candidate >= 0 && zoneMass[candidate] - zoneMass[zone] >= SWITCH_MARGIN * total) {
                changes.exited(new ZoneExit(sessionId, zoneId(), sinceMs, Math.max(sinceMs, candidateSinceMs)));
                enter(candidate, Math.max(sinceMs, candidateSinceMs));
            }
            confidence = zoneMass[zone] / total;
        }

        private void enter(int newZone, long atMs) {
            zone = newZone;
            sinceMs = atMs;
            candidate = -1;
            changes.entered(new ZoneEntry(sessionId, zoneId(), atMs));
        }

        private String zoneId() {
            return floor.zoneIds().get(zone);
        }

        Optional<ShopperLocation> location() {
            return zone < 0 ? Optional.empty() : Optional.of(new ShopperLocation(zoneId(), sinceMs, confidence));
        }

        void leave(long atMs) {
            if (zone >= 0) {
                changes.exited(new ZoneExit(sessionId, zoneId(), sinceMs, Math.max(sinceMs, atMs)));
            }
        }
    }

    /**
     * E[X - μ | X ≥ S] for X ~ N(μ, σ²), in units of σ, tabulated against z = (S - μ) / σ: the inverse Mills
     * ratio φ(z) / (1 - Φ(z)). It is near 0 far above the sensitivity and tends to z far below it.
     */
    private static final float[] HEARD_MEAN_SHIFT = new float[1_601];
    private static final float SHIFT_Z_MIN = -8;
    private static final float SHIFT_Z_STEP = 0.01f;

    static {
        for (int i = 0; i < HEARD_MEAN_SHIFT.length; i++) {
            double z = SHIFT_Z_MIN + i * SHIFT_Z_STEP;
            HEARD_MEAN_SHIFT[i] = (float) (density(z) / upperTail(z));
        }
    }

    private static double density(double z) {
        return Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI);
    }

    /** 1 - Φ(z) by Simpson's rule from z to z + 12: exact to far more digits than a float holds. */
    private static double upperTail(double z) {
        int intervals = 2_000;
        double h = 12.0 / intervals;
        double sum = density(z) + density(z + 12);
        for (int i = 1; i < intervals; i++) {
            sum += (i % 2 == 1 ? 4 : 2) * density(z + i * h);
        }
        return sum * h / 3;
    }

    /**
     * The mean RSSI offset (RSSI - tx power) a receiver reports for a phone whose advertisements arrive at
     * {@code meanOffset} on average, counting only those above {@link #SENSITIVITY_DBM}.
     */
    static float heardMeanAbove(float meanOffset, float txPowerDbm) {
        float z = (SENSITIVITY - txPowerDbm - meanOffset) * PER_SIGMA;
        if (z < SHIFT_Z_MIN) {
            return meanOffset;
        }
        int i = (int) ((z - SHIFT_Z_MIN) * PER_SHIFT_Z_STEP);
        float shift = i < HEARD_MEAN_SHIFT.length ? HEARD_MEAN_SHIFT[i] : z + 1 / z;
        return meanOffset + SIGMA * shift;
    }

    private static final float SENSITIVITY = (float) SENSITIVITY_DBM;
    private static final float SIGMA = (float) SHADOWING_SIGMA_DB;
    private static final float PER_SIGMA = 1 / SIGMA;
    private static final float PER_SHIFT_Z_STEP = 1 / SHIFT_Z_STEP;

    /**
     * Systematic resampling: {@code into.length} indices of {@code weights}, each drawn in proportion to its
     * weight, with one random number for all, so a particle of weight w is kept about w × n / total times.
     */
    private void pickInProportion(float[] weights, double total, int[] into) {
        double step = total / into.length;
        double next = rng.nextDouble() * step;
        double cumulative = 0;
        int from = -1;
        for (int p = 0; p < into.length; p++) {
            while (cumulative <= next && from < weights.length - 1) {
                cumulative += weights[++from];
            }
            into[p] = from;
            next += step;
        }
    }

    /**
     * ln x for x > 0, to about 3e-5: the exponent from the float's bits and a quintic in the mantissa (a least-
     * squares fit of log2 over [1, 2)). The reading's cost needs one per particle per reading, and Math.log was
     * most of it; 3e-5 of ln(d²) is 0.0002 dB.
     */
    static float ln(float x) {
        int bits = Float.floatToRawIntBits(x);
        int exponent = ((bits >>> 23) & 0xff) - 127;
        float u = Float.intBitsToFloat((bits & 0x7fffff) | 0x3f800000) - 1.5f;
        float log2OfMantissa = 0.58495428f + u * (0.96181479f + u * (-0.31991922f + u * (0.14184861f
                + u * (-0.07915123f + u * 0.04342951f))));
        return (exponent + log2OfMantissa) * LN_2;
    }

    private static final float LN_2 = (float) Math.log(2);
    private static final float LOG2_E = (float) (1 / Math.log(2));
    /** Below this a particle's weight is taken as none: e^-40 is 4e-18 of the best one's. */
    private static final float NEGLIGIBLE_LOG_WEIGHT = -40;

    /**
     * e^x for x ≤ 0 (log weights, the largest kept at 0), to about 1e-4 relative: 2^i from the float's bits,
     * a cubic for 2^f. Weights need one per particle per reading and per decision.
     */
    static float exp(float x) {
        if (x < NEGLIGIBLE_LOG_WEIGHT) {
            return 0;
        }
        float t = x * LOG2_E;
        int i = (int) t;
        if (i > t) {
            i--;
        }
        float f = t - i;
        float twoToF = 1 + f * (0.6951786f + f * (0.2261548f + f * 0.0786666f));
        return Float.intBitsToFloat((i + 127) << 23) * twoToF;
    }

    /** ln of how well a phone at (x, y) explains the reading, up to a constant. */
    private float cost(int receiver, float offset, float txPowerDbm, float weight, float px, float py) {
        float dx = px - floor.receiverX(receiver);
        float dy = py - floor.receiverY(receiver);
        float d2 = Math.max(MIN_DISTANCE_SQUARED, dx * dx + dy * dy);
        float error = offset - heardMeanAbove(-PATH_LOSS_PER_LN_D2 * ln(d2), txPowerDbm);
        // weight × error² is (error / its standard deviation)² / 2, so the cap is the same for every reading
        return -Math.min(weight * error * error, OUTLIER_COST);
    }
}
