package io.floorgate.sim.play;

import io.floorgate.config.Device;
import io.floorgate.config.Point;
import io.floorgate.config.Zone;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * One shopper's visit: walks from zone to adjacent zone towards each planned stop, pauses there,
 * and leaves through the entrance after the last one. Moves only when ticked, in simulated time.
 */
public final class ShopperWalk {

    /** Why the shopper stops somewhere; the stops at devices make those devices publish. */
    public enum Purpose { BROWSE, PRODUCT_LOOKUP, FEEDBACK, PICKUP_CHECK_IN, WAIT_FOR_ORDER, TAP_SESSION, TAP_ORDER, LEAVE }

    /**
     * A planned stop.
     *
     * @param zone    where
     * @param device  the kiosk or NFC reader used there, if any: the shopper walks up to it
     * @param dwellMs how long the shopper stays after arriving
     * @param purpose what the shopper does on arrival
     */
    public record Stop(String zone, Optional<Device> device, long dwellMs, Purpose purpose) {
    }

    /** Standing in front of a kiosk or reader, not on top of it. */
    private static final double DEVICE_APPROACH_M = 0.6;

    private final String id;
    private RotatingAdvertiser advertiser;
    private boolean checkedIn;
    private final String orderCode;
    private final double speedMps;
    private final Deque<Stop> stops;

    private Point position;
    private String zone;
    private Stop stop;
    private final Deque<String> hops = new ArrayDeque<>();
    private Point legTarget;
    private String legZone;
    private boolean finalApproach;
    private long dwellLeftMs;
    private boolean left;

    public ShopperWalk(String id, String orderCode, double speedMps, Point start, String startZone, List<Stop> plan) {
        this.id = id;
        this.orderCode = orderCode;
        this.speedMps = speedMps;
        this.position = start;
        this.zone = startZone;
        this.stops = new ArrayDeque<>(plan);
    }

    public String id() {
        return id;
    }

    /** Empty until the phone has a key: an app that has not checked in yet does not advertise. */
    public Optional<RotatingAdvertiser> advertiser() {
        return Optional.ofNullable(advertiser);
    }

    /** A key of the phone's own, for BLE only: without a session the app has no touch token to present. */
    public void advertiseWith(RotatingAdvertiser advertiser) {
        this.advertiser = advertiser;
    }

    /** The key the gateway issued at check-in: the phone advertises with it and presents its touch tokens. */
    public void checkedInWith(RotatingAdvertiser issued) {
        this.advertiser = issued;
        this.checkedIn = true;
    }

    /** What the app presents on a tap or a kiosk scan now; empty until the gateway issued a key. */
    public Optional<byte[]> touchTokenAt(long epochMs) {
        return checkedIn ? Optional.of(advertiser.touchTokenAt(epochMs)) : Optional.empty();
    }

    public String orderCode() {
        return orderCode;
    }

    public Point position() {
        return position;
    }

    public String zone() {
        return zone;
    }

    public boolean hasLeft() {
        return left;
    }

    /**
     * Advances the shopper by one tick.
     *
     * @return the stop the shopper arrived at during this tick, if any
     */
    public Optional<Stop> tick(long dtMs, StoreLayout layout, RandomGenerator rng) {
        if (left) {
            return Optional.empty();
        }
        if (stop == null) {
            return startNextStop(layout, rng);
        }
        if (legTarget == null) {
            dwellLeftMs -= dtMs;
            if (dwellLeftMs <= 0) {
                stop = null;
            }
            return Optional.empty();
        }
        return walk(dtMs, layout, rng);
    }

    private Optional<Stop> startNextStop(StoreLayout layout, RandomGenerator rng) {
        while (!stops.isEmpty()) {
            stop = stops.poll();
            hops.clear();
            hops.addAll(layout.route(zone, stop.zone()));
            if (!hops.isEmpty() || stop.zone().equals(zone)) {
                finalApproach = false;
                planLeg(layout, rng);
                return legTarget == null ? arrive() : Optional.empty();
            }
            // unreachable from here (a zone without a connection): skip it rather than walk through walls
        }
        left = true;
        return Optional.empty();
    }

    private Optional<Stop> walk(long dtMs, StoreLayout layout, RandomGenerator rng) {
        double step = speedMps * dtMs / 1000.0;
        double remaining = position.distanceTo(legTarget);
        if (remaining > step) {
            double f = step / remaining;
            position = new Point(position.x() + f * (legTarget.x() - position.x()),
                    position.y() + f * (legTarget.y() - position.y()));
            if (!legZone.equals(zone) && layout.zone(legZone).contains(position)
                    && !layout.zone(zone).contains(position)) {
                zone = legZone;
            }
            return Optional.empty();
        }
        position = legTarget;
        zone = legZone;
        planLeg(layout, rng);
        return legTarget == null ? arrive() : Optional.empty();
    }

    /** The next straight walk: into the next zone on the route, then up to the stop's device, then done (null). */
    private void planLeg(StoreLayout layout, RandomGenerator rng) {
        Zone here = layout.zone(zone);
        if (!hops.isEmpty()) {
            Zone next = layout.zone(hops.poll());
            Optional<Point> direct = layout.reachablePointIn(next, position, List.of(here, next), rng);
            if (direct.isEmpty()) {
                Optional<Point> door = layout.doorway(here, next, position, rng);
                if (door.isPresent()) {
                    hops.push(next.id());
                    legZone = zone;
                    legTarget = door.get();
                    return;
                }
            }
            legZone = next.id();
            // the centre, straight through whatever is in between, only when no walkable line was found at all
            legTarget = direct.orElseGet(next::centre);
            return;
        }
        if (!finalApproach && stop.device().isPresent()) {
            finalApproach = true;
            Point at = stop.device().get().position();
            double angle = rng.nextDouble() * 2 * Math.PI;
            Point front = new Point(at.x() + DEVICE_APPROACH_M * Math.cos(angle),
                    at.y() + DEVICE_APPROACH_M * Math.sin(angle));
            legZone = zone;
            legTarget = layout.staysWithin(position, front, List.of(here)) ? front : position;
            return;
        }
        legTarget = null;
    }

    private Optional<Stop> arrive() {
        dwellLeftMs = stop.dwellMs();
        if (stop.purpose() == Purpose.LEAVE) {
            left = true;
        }
        return Optional.of(stop);
    }
}
