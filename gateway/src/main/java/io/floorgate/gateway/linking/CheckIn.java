package io.floorgate.gateway.linking;

/**
 * A session just opened and committed.
 *
 * @param session the session as the directory keeps it
 * @param token   the bearer token, given to the app once; the gateway keeps only its hash
 */
public record CheckIn(ShopperSession session, String token) {

    /** Never print the token. */
    @Override
    public String toString() {
        return "CheckIn[" + session + "]";
    }
}
