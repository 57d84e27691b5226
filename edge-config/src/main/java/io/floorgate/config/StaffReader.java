package io.floorgate.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the staff accounts ({@code staff:}) and their session settings ({@code staffSessions:}). Unique ids and the
 * rule between the two timeouts are {@link StoreConfigValidator}'s.
 */
final class StaffReader {

    static final List<String> ACCOUNT_KEYS = List.of("id", "role", "passwordHash");
    static final List<String> SESSIONS_KEYS = List.of("idleTimeout", "absoluteTimeout", "maxSessions", "lockout");
    static final List<String> LOCKOUT_KEYS = List.of("maxFailures", "window", "duration");

    /** Login names are typed on a tablet: lower case only, so that "Anna" and "anna" are not two accounts. */
    static final Pattern STAFF_ID = Pattern.compile("[a-z0-9._-]{1,64}");
    static final String STAFF_ID_RULE = "1 to 64 lower-case letters, digits, '.', '_' or '-'";

    static final Duration MIN_TIMEOUT = Duration.ofMinutes(1);
    /** A shift: a staff session that outlives a day is a session nobody is watching. */
    static final Duration MAX_IDLE_TIMEOUT = Duration.ofDays(1);
    static final Duration MAX_ABSOLUTE_TIMEOUT = Duration.ofDays(7);
    /** Far above any store's staff: the bound is there so that a login loop cannot fill the heap. */
    static final int MAX_MAX_SESSIONS = 100_000;
    static final int MAX_LOGIN_FAILURES = 100;
    static final Duration MIN_LOCKOUT = Duration.ofMinutes(1);
    static final Duration MAX_LOCKOUT = Duration.ofDays(1);

    private StaffReader() {
    }

    static Optional<StaffAccount> account(NodeCursor c, SourceMap sourceMap) {
        return c.mapping(ACCOUNT_KEYS).map(m -> {
            StaffAccount account = new StaffAccount(
                    m.required("id", n -> n.text(STAFF_ID, STAFF_ID_RULE)),
                    m.required("role", n -> n.choice(StaffRole.class)),
                    m.required("passwordHash", StaffReader::passwordHash));
            sourceMap.rememberElement(account, c.path());
            return account;
        });
    }

    private static Optional<PasswordHash> passwordHash(NodeCursor c) {
        return c.text().flatMap(text -> {
            try {
                return Optional.of(PasswordHash.parse(text));
            } catch (IllegalArgumentException e) {
                c.report(e.getMessage());
                return Optional.empty();
            }
        });
    }

    static StaffSessionPolicy sessions(MappingCursor m) {
        StaffSessionPolicy defaults = StaffSessionPolicy.DEFAULT;
        Duration idle = m.value("idleTimeout", n -> n.duration(MIN_TIMEOUT, MAX_IDLE_TIMEOUT), defaults.idleTimeout());
        Duration absolute = m.value("absoluteTimeout", n -> n.duration(MIN_TIMEOUT, MAX_ABSOLUTE_TIMEOUT),
                defaults.absoluteTimeout());
        Integer maxSessions = m.value("maxSessions", n -> n.integer(1, MAX_MAX_SESSIONS), defaults.maxSessions());
        StaffSessionPolicy.LoginLockout lockout = m.section("lockout", LOCKOUT_KEYS)
                .map(StaffReader::lockout).orElse(null);
        return SettingsReader.anyNull(idle, absolute, maxSessions, lockout)
                ? null
                : new StaffSessionPolicy(idle, absolute, maxSessions, lockout);
    }

    private static StaffSessionPolicy.LoginLockout lockout(MappingCursor m) {
        StaffSessionPolicy.LoginLockout defaults = StaffSessionPolicy.DEFAULT.lockout();
        Integer maxFailures = m.value("maxFailures", n -> n.integer(1, MAX_LOGIN_FAILURES), defaults.maxFailures());
        Duration window = m.value("window", n -> n.duration(MIN_LOCKOUT, MAX_LOCKOUT), defaults.window());
        Duration duration = m.value("duration", n -> n.duration(MIN_LOCKOUT, MAX_LOCKOUT), defaults.duration());
        return SettingsReader.anyNull(maxFailures, window, duration)
                ? null
                : new StaffSessionPolicy.LoginLockout(maxFailures, window, duration);
    }
}
