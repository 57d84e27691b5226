package io.floorgate.config;

/** The sales floor's bounding rectangle, metres; the origin is the plan's lower left corner. */
public record FloorPlan(double widthM, double depthM) {
}
