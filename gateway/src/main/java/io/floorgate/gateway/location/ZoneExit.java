package io.floorgate.gateway.location;

/** A located shopper left a zone: into another, out of range, or by checking out. Times are epoch milliseconds. */
public record ZoneExit(String sessionId, String zoneId, long enteredAtMs, long exitedAtMs) {

    public long dwellMs() {
        return exitedAtMs - enteredAtMs;
    }
}
