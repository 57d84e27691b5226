package io.floorgate.config;

import java.util.List;

/** Plane geometry on the floor plan, metres. */
final class Polygons {

    private Polygons() {
    }

    /** Shoelace formula; the absolute value, so the winding direction does not matter. */
    static double area(List<Point> polygon) {
        double twiceArea = 0;
        for (int i = 0, j = polygon.size() - 1; i < polygon.size(); j = i++) {
            twiceArea += polygon.get(j).x() * polygon.get(i).y() - polygon.get(i).x() * polygon.get(j).y();
        }
        return Math.abs(twiceArea) / 2;
    }

    /** How far a point is from a zone: 0 inside, else the distance to the nearest edge. */
    static double distance(Zone zone, Point p) {
        if (zone.contains(p)) {
            return 0;
        }
        List<Point> polygon = zone.polygon();
        double nearest = Double.POSITIVE_INFINITY;
        for (int i = 0, j = polygon.size() - 1; i < polygon.size(); j = i++) {
            nearest = Math.min(nearest, distanceToSegment(p, polygon.get(j), polygon.get(i)));
        }
        return nearest;
    }

    private static double distanceToSegment(Point p, Point a, Point b) {
        double dx = b.x() - a.x();
        double dy = b.y() - a.y();
        double lengthSquared = dx * dx + dy * dy;
        double t = lengthSquared == 0 ? 0 : ((p.x() - a.x()) * dx + (p.y() - a.y()) * dy) / lengthSquared;
        t = Math.max(0, Math.min(1, t));
        return p.distanceTo(new Point(a.x() + t * dx, a.y() + t * dy));
    }
}
