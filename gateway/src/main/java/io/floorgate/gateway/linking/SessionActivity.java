package io.floorgate.gateway.linking;

/** When a session was last seen making an authenticated request, epoch milliseconds. */
public record SessionActivity(String sessionId, long lastActiveMs) {
}
