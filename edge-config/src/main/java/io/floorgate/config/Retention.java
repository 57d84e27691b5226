package io.floorgate.config;

import java.time.Duration;

/** How long each kind of stored row is kept; every value at least 1 minute. */
public record Retention(Duration deviceEvents, Duration zoneVisits, Duration sessions, Duration orders,
                        Duration outbox) {
}
