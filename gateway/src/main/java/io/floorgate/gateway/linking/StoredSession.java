package io.floorgate.gateway.linking;

/**
 * An open session as H2 holds it, read back at start.
 *
 * @param tokenHash    SHA-256 of the bearer token
 * @param lastActiveMs last authenticated request as last written, epoch milliseconds
 */
public record StoredSession(ShopperSession session, byte[] tokenHash, long lastActiveMs) {
}
