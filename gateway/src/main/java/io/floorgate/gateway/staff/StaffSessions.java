package io.floorgate.gateway.staff;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.floorgate.config.PasswordHash;
import io.floorgate.config.Staff;
import io.floorgate.config.StaffAccount;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The staff sessions open now, in memory only: a gateway restart logs every staff member out, which costs them one
 * login and keeps session ids out of the database and its backups.
 *
 * <p>A session ends at logout; when it has not been used for {@code staffSessions.idleTimeout}; at
 * {@code absoluteTimeout} after its login however busy it is; and when its account is removed from the configuration
 * or given another password hash. The role is read from the configuration in force at each use, so a reload that
 * changes a role applies to the next request. Expired sessions are dropped when they are next asked for and, at the
 * bound, before anything else.
 *
 * <p>Bound: {@code staffSessions.maxSessions}. A login at the bound ends the least recently used session (its
 * holder must log in again) and counts it in {@code floorgate_staff_sessions_evicted_total}: a staff member who
 * logs in should not be turned away because of tablets nobody logged out of.
 *
 * <p>Threads: called from event loops. Every method holds this object's lock for a map operation or, at the bound,
 * one pass over at most {@code maxSessions} entries; nothing here blocks otherwise.
 */
public final class StaffSessions {

    /** 256 bits: guessing a session id is as hopeless as guessing a key. */
    static final int ID_BYTES = 32;
    static final int CSRF_TOKEN_BYTES = 32;

    /** What the map holds: the session and the hash the account had at login. */
    private record Held(StaffSession session, PasswordHash passwordHashAtLogin) {
    }

    private final Supplier<Staff> staff;
    private final LongSupplier clock;
    private final SecureRandom random;
    private final Counter evicted;
    /** In access order: the first entry is the least recently used. */
    private final LinkedHashMap<String, Held> sessions = new LinkedHashMap<>(16, 0.75f, true);

    /**
     * @param staff the accounts and session settings in force (they may be reloaded)
     * @param clock epoch ms; tests move it
     */
    public StaffSessions(Supplier<Staff> staff, LongSupplier clock, SecureRandom random, MeterRegistry metrics) {
        this.staff = staff;
        this.clock = clock;
        this.random = random;
        this.evicted = Counter.builder("floorgate.staff.sessions.evicted")
                .description("Staff sessions ended early because a login found staffSessions.maxSessions open")
                .register(metrics);
        Gauge.builder("floorgate.staff.sessions", this, StaffSessions::size)
                .description("Staff sessions held now, expired ones included until they are next asked for")
                .register(metrics);
    }

    /** A new session for an account whose password was just checked. */
    public synchronized StaffSession open(StaffAccount account) {
        int max = staff.get().sessions().maxSessions();
        if (sessions.size() >= max) {
            dropExpired(clock.getAsLong());
        }
        while (sessions.size() >= max) {
            Iterator<Map.Entry<String, Held>> eldest = sessions.entrySet().iterator();
            eldest.next();
            eldest.remove();
            evicted.increment();
        }
        long now = clock.getAsLong();
        StaffSession session = new StaffSession(randomToken(ID_BYTES), account.id(), account.role(),
                randomToken(CSRF_TOKEN_BYTES), now, now);
        sessions.put(session.id(), new Held(session, account.passwordHash()));
        return session;
    }

    /** The session with this id when it is still valid, marked as used now; a session found invalid is ended. */
    public synchronized Optional<StaffSession> use(String id) {
        return valid(id).map(held -> {
            StaffSession used = withLastUse(held.session(), clock.getAsLong());
            sessions.put(id, new Held(used, held.passwordHashAtLogin()));
            return used;
        });
    }

    /**
     * The session with this id when it is still valid, without counting this as a use: for a stream that checks,
     * before each message, that its session still holds. An open stream does not keep a session alive.
     */
    public synchronized Optional<StaffSession> check(String id) {
        return valid(id).map(Held::session);
    }

    /** Logout. @return false when no such session was open */
    public synchronized boolean close(String id) {
        return sessions.remove(id) != null;
    }

    /** The valid sessions, least recently used first, for a manager's view of who is logged in. */
    public synchronized List<StaffSession> list() {
        dropExpired(clock.getAsLong());
        return sessions.values().stream().map(held -> current(held).orElseThrow()).toList();
    }

    public synchronized int size() {
        return sessions.size();
    }

    private Optional<Held> valid(String id) {
        Held held = sessions.get(id);
        if (held == null) {
            return Optional.empty();
        }
        if (expired(held, clock.getAsLong()) || current(held).isEmpty()) {
            sessions.remove(id);
            return Optional.empty();
        }
        return Optional.of(new Held(current(held).orElseThrow(), held.passwordHashAtLogin()));
    }

    /** The session with its account's role now; empty when the account is gone or its password was changed. */
    private Optional<StaffSession> current(Held held) {
        StaffSession s = held.session();
        return staff.get().account(s.accountId())
                .filter(account -> account.passwordHash().equals(held.passwordHashAtLogin()))
                .map(account -> new StaffSession(s.id(), s.accountId(), account.role(), s.csrfToken(),
                        s.loggedInAtMs(), s.lastUsedAtMs()));
    }

    private boolean expired(Held held, long now) {
        StaffSession s = held.session();
        Staff settings = staff.get();
        return now - s.lastUsedAtMs() >= settings.sessions().idleTimeout().toMillis()
                || now - s.loggedInAtMs() >= settings.sessions().absoluteTimeout().toMillis();
    }

    private void dropExpired(long now) {
        sessions.values().removeIf(held -> expired(held, now) || current(held).isEmpty());
    }

    private static StaffSession withLastUse(StaffSession s, long now) {
        return new StaffSession(s.id(), s.accountId(), s.role(), s.csrfToken(), s.loggedInAtMs(), now);
    }

    private String randomToken(int bytes) {
        byte[] token = new byte[bytes];
        random.nextBytes(token);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token);
    }
}
