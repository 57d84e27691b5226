package io.floorgate.gateway.linking;

import java.util.List;

/**
 * What one expiry sweep found, for {@link SessionTable} to write.
 *
 * @param atMs    when the sweep ran; the end time of the expired sessions
 * @param expired sessions ended by inactivity, already gone from the directory
 * @param active  open sessions whose last activity is newer than what H2 holds
 */
public record SessionSweep(long atMs, List<SessionActivity> expired, List<SessionActivity> active) {

    public SessionSweep {
        expired = List.copyOf(expired);
        active = List.copyOf(active);
    }
}
