package io.floorgate.config;

/** A point on the floor plan, metres from the plan's origin. */
public record Point(double x, double y) {

    public double distanceTo(Point other) {
        return Math.hypot(x - other.x, y - other.y);
    }
}
