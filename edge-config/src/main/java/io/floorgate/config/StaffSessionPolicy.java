package io.floorgate.config;

import java.time.Duration;

/**
 * How long a staff login lasts and how failed logins are held back ({@code staffSessions:} in the store file).
 *
 * @param idleTimeout     a session unused for this long ends; 1 m .. 1 d, at most {@code absoluteTimeout}
 * @param absoluteTimeout a session ends this long after its login however busy it is; 1 m .. 7 d
 * @param maxSessions     staff sessions held at once; at the bound a new login ends the least recently used one
 * @param lockout         the failed-login limit
 */
public record StaffSessionPolicy(Duration idleTimeout, Duration absoluteTimeout, int maxSessions,
                                 LoginLockout lockout) {

    /** The defaults of every field, as CONFIG.md lists them. */
    public static final StaffSessionPolicy DEFAULT = new StaffSessionPolicy(Duration.ofMinutes(30),
            Duration.ofHours(12), 1000, new LoginLockout(5, Duration.ofMinutes(15), Duration.ofMinutes(15)));

    /**
     * Counted separately per account and per client address: {@code maxFailures} failed logins within
     * {@code window} lock that account, or that address, for {@code duration}.
     *
     * @param maxFailures 1 .. 100
     * @param window      1 m .. 1 d
     * @param duration    1 m .. 1 d
     */
    public record LoginLockout(int maxFailures, Duration window, Duration duration) {
    }
}
