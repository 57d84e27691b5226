package io.floorgate.sim.play;

import io.floorgate.config.Device;
import io.floorgate.config.DeviceKind;
import io.floorgate.config.Point;
import io.floorgate.config.StoreConfig;
import io.floorgate.config.Zone;
import io.floorgate.config.ZoneKind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/** The store's floor as shoppers see it: zones, which zone leads to which, and where points are. */
public final class StoreLayout {

    /** Step used to check that a straight walk stays inside the zones it is meant to cross. */
    private static final double SEGMENT_CHECK_STEP_M = 0.1;
    /** Attempts at drawing a point inside a polygon from its bounding box before using its centre. */
    private static final int POINT_ATTEMPTS = 50;
    /** A doorway is a narrow target (an 8 m aisle off a 60 m main aisle): more attempts. */
    private static final int DOORWAY_ATTEMPTS = 400;

    private final StoreConfig config;
    private final Map<String, Zone> zones = new HashMap<>();

    public StoreLayout(StoreConfig config) {
        this.config = config;
        config.zones().forEach(z -> zones.put(z.id(), z));
    }

    public StoreConfig config() {
        return config;
    }

    public Zone zone(String id) {
        Zone zone = zones.get(id);
        if (zone == null) {
            throw new IllegalArgumentException("no zone " + id + " in store " + config.storeId());
        }
        return zone;
    }

    public Zone entrance() {
        return config.zones().stream().filter(z -> z.kind() == ZoneKind.ENTRANCE).findFirst()
                .orElse(config.zones().get(0));
    }

    public List<Device> devices(DeviceKind kind) {
        return config.devices().stream().filter(d -> d.kind() == kind).toList();
    }

    public boolean adjacent(String a, String b) {
        Zone za = zones.get(a);
        Zone zb = zones.get(b);
        return za != null && zb != null && (za.adjacent().contains(b) || zb.adjacent().contains(a));
    }

    /** Zones to walk through from one zone to another, excluding the start; empty when unreachable or the same. */
    public List<String> route(String from, String to) {
        Map<String, String> previous = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(from));
        previous.put(from, from);
        while (!queue.isEmpty()) {
            String at = queue.poll();
            if (at.equals(to)) {
                break;
            }
            for (String next : neighbours(at)) {
                if (previous.putIfAbsent(next, at) == null) {
                    queue.add(next);
                }
            }
        }
        if (!previous.containsKey(to) || from.equals(to)) {
            return List.of();
        }
        List<String> hops = new ArrayList<>();
        for (String at = to; !at.equals(from); at = previous.get(at)) {
            hops.add(0, at);
        }
        return hops;
    }

    /** Adjacency is symmetric by contract; reading both directions keeps a one-sided file walkable. */
    private Collection<String> neighbours(String zoneId) {
        List<String> result = new ArrayList<>(zone(zoneId).adjacent());
        for (Zone z : config.zones()) {
            if (z.adjacent().contains(zoneId) && !result.contains(z.id())) {
                result.add(z.id());
            }
        }
        result.removeIf(id -> !zones.containsKey(id));
        return result;
    }

    public Point randomPointIn(Zone zone, RandomGenerator rng) {
        double minX = Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (Point p : zone.polygon()) {
            minX = Math.min(minX, p.x());
            minY = Math.min(minY, p.y());
            maxX = Math.max(maxX, p.x());
            maxY = Math.max(maxY, p.y());
        }
        for (int i = 0; i < POINT_ATTEMPTS; i++) {
            Point p = new Point(minX + rng.nextDouble() * (maxX - minX), minY + rng.nextDouble() * (maxY - minY));
            if (zone.contains(p)) {
                return p;
            }
        }
        return zone.centre();
    }

    /** A point in the zone that can be walked to in a straight line from {@code from} without leaving the allowed zones. */
    public Optional<Point> reachablePointIn(Zone zone, Point from, List<Zone> allowed, RandomGenerator rng) {
        for (int i = 0; i < POINT_ATTEMPTS; i++) {
            Point p = randomPointIn(zone, rng);
            if (staysWithin(from, p, allowed)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * A point in {@code here}, reachable in a straight line from {@code from} inside {@code here}, from which
     * a random point of {@code next} is reachable without leaving the two: where to walk first when the
     * zones are not convex together (an aisle opening off a long main aisle).
     */
    public Optional<Point> doorway(Zone here, Zone next, Point from, RandomGenerator rng) {
        for (int i = 0; i < DOORWAY_ATTEMPTS; i++) {
            Point door = randomPointIn(here, rng);
            if (staysWithin(from, door, List.of(here))
                    && staysWithin(door, randomPointIn(next, rng), List.of(here, next))) {
                return Optional.of(door);
            }
        }
        return Optional.empty();
    }

    public boolean staysWithin(Point from, Point to, List<Zone> allowed) {
        double length = from.distanceTo(to);
        int steps = Math.max(1, (int) Math.ceil(length / SEGMENT_CHECK_STEP_M));
        for (int i = 0; i <= steps; i++) {
            double f = (double) i / steps;
            Point p = new Point(from.x() + f * (to.x() - from.x()), from.y() + f * (to.y() - from.y()));
            if (allowed.stream().noneMatch(z -> z.contains(p))) {
                return false;
            }
        }
        return true;
    }
}
