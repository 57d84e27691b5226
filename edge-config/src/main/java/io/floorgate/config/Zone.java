package io.floorgate.config;

import java.util.List;

/**
 * A zone of the store.
 *
 * @param id       unique in the store; [a-z0-9-]{1,64}
 * @param name     shown to staff and shoppers
 * @param kind     what the zone is for
 * @param polygon  its outline on the floor plan, at least 3 points, metres, inside the floor plan
 * @param adjacent ids of the zones a shopper can walk to directly (adjacency is symmetric)
 */
public record Zone(String id, String name, ZoneKind kind, List<Point> polygon, List<String> adjacent) {

    public Zone {
        polygon = List.copyOf(polygon);
        adjacent = List.copyOf(adjacent);
    }

    /** Even-odd ray casting; a point on an edge may fall either way. */
    public boolean contains(Point p) {
        boolean inside = false;
        for (int i = 0, j = polygon.size() - 1; i < polygon.size(); j = i++) {
            Point a = polygon.get(i);
            Point b = polygon.get(j);
            if ((a.y() > p.y()) != (b.y() > p.y())
                    && p.x() < (b.x() - a.x()) * (p.y() - a.y()) / (b.y() - a.y()) + a.x()) {
                inside = !inside;
            }
        }
        return inside;
    }

    /** The mean of the polygon's vertices: good enough to place a label or a walking target. */
    public Point centre() {
        double x = 0;
        double y = 0;
        for (Point p : polygon) {
            x += p.x();
            y += p.y();
        }
        return new Point(x / polygon.size(), y / polygon.size());
    }
}
