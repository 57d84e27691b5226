package io.floorgate.gateway.location;

/** A located shopper was decided to have entered a zone at {@code atMs} (epoch milliseconds). */
public record ZoneEntry(String sessionId, String zoneId, long atMs) {
}
