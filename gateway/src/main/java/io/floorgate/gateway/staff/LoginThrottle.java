package io.floorgate.gateway.staff;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.floorgate.config.StaffSessionPolicy.LoginLockout;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds back password guessing: {@code lockout.maxFailures} failed logins within {@code lockout.window} lock the
 * account id for {@code lockout.duration}, and, counted separately, lock the client address. Ids that name no
 * account are counted like the others, so a lock tells nobody which ids exist.
 *
 * <p>An attempt counts against both keys from the moment it is admitted until its password check ends, so that a
 * burst of parallel attempts cannot get more guesses in than {@code maxFailures}: while failures and attempts in
 * flight reach the limit, a further one is refused as locked for {@link #IN_FLIGHT_RETRY}. A success forgets the
 * account's failures (its owner is back), not the address's.
 *
 * <p>Bound: {@link #MAX_TRACKED} account ids and as many addresses. Beyond it, the key seen least recently is
 * forgotten, lock and all, and counted in {@code floorgate_staff_login_throttle_evicted_total}: only someone
 * guessing from thousands of addresses can shorten a lock that way.
 *
 * <p>Threads: event loops; each method holds this object's lock for a few map operations.
 */
public final class LoginThrottle {

    private static final Logger LOG = LoggerFactory.getLogger(LoginThrottle.class);

    static final int MAX_TRACKED = 10_000;
    /** About three password checks: by then the attempts in flight have ended and the limit is known again. */
    static final Duration IN_FLIGHT_RETRY = Duration.ofSeconds(1);

    /** One account id's or address's recent failures, attempts in flight and lock. */
    private static final class Record {
        final Deque<Long> failuresMs = new ArrayDeque<>();
        int inFlight;
        long lockedUntilMs;
    }

    private final Supplier<LoginLockout> policy;
    private final LongSupplier clock;
    private final Counter evicted;
    private final Map<String, Record> accounts = tracked();
    private final Map<String, Record> addresses = tracked();

    /**
     * @param policy the lockout in force (it may be reloaded)
     * @param clock  epoch ms; tests move it
     */
    public LoginThrottle(Supplier<LoginLockout> policy, LongSupplier clock, MeterRegistry metrics) {
        this.policy = policy;
        this.clock = clock;
        this.evicted = Counter.builder("floorgate.staff.login.throttle.evicted")
                .description("Account ids or client addresses whose failed logins were forgotten at the bound")
                .register(metrics);
    }

    private Map<String, Record> tracked() {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Record> eldest) {
                boolean full = size() > MAX_TRACKED;
                if (full) {
                    evicted.increment();
                }
                return full;
            }
        };
    }

    /**
     * Admits an attempt, which then must be ended by {@link #succeeded} or {@link #failed}, or refuses it.
     *
     * @return empty when admitted; else how long until a try may be admitted again
     */
    public synchronized Optional<Duration> admit(String accountId, String address) {
        long now = clock.getAsLong();
        LoginLockout lockout = policy.get();
        Record account = accounts.computeIfAbsent(accountId, k -> new Record());
        Record client = addresses.computeIfAbsent(address, k -> new Record());
        long waitMs = Math.max(wait(account, now, lockout), wait(client, now, lockout));
        if (waitMs > 0) {
            return Optional.of(Duration.ofMillis(waitMs));
        }
        account.inFlight++;
        client.inFlight++;
        return Optional.empty();
    }

    /** The right password: the account's failures are forgotten; the address's stay. */
    public synchronized void succeeded(String accountId, String address) {
        end(accounts, accountId).ifPresent(r -> r.failuresMs.clear());
        end(addresses, address);
    }

    /** An attempt that ended without a verdict (the check could not run): it counts as nothing. */
    public synchronized void abandoned(String accountId, String address) {
        end(accounts, accountId);
        end(addresses, address);
    }

    /** A wrong password (or an unknown id): counted against both, locking whichever reaches the limit. */
    public synchronized void failed(String accountId, String address) {
        long now = clock.getAsLong();
        LoginLockout lockout = policy.get();
        end(accounts, accountId).ifPresent(r -> fail(r, now, lockout, "account '" + accountId + "'"));
        end(addresses, address).ifPresent(r -> fail(r, now, lockout, "address " + address));
    }

    /** 0 when an attempt may go ahead now. */
    private static long wait(Record r, long now, LoginLockout lockout) {
        if (r.lockedUntilMs > now) {
            return r.lockedUntilMs - now;
        }
        forgetOld(r, now, lockout);
        return r.failuresMs.size() + r.inFlight >= lockout.maxFailures() ? IN_FLIGHT_RETRY.toMillis() : 0;
    }

    private static void fail(Record r, long now, LoginLockout lockout, String what) {
        forgetOld(r, now, lockout);
        r.failuresMs.addLast(now);
        if (r.failuresMs.size() >= lockout.maxFailures()) {
            r.lockedUntilMs = now + lockout.duration().toMillis();
            r.failuresMs.clear();
            LOG.info("Staff logins for {} locked for {} after {} failed logins", what, lockout.duration(),
                    lockout.maxFailures());
        }
    }

    private static void forgetOld(Record r, long now, LoginLockout lockout) {
        long windowMs = lockout.window().toMillis();
        while (!r.failuresMs.isEmpty() && now - r.failuresMs.peekFirst() >= windowMs) {
            r.failuresMs.removeFirst();
        }
    }

    /** The key's record with its attempt ended; empty when the record was forgotten at the bound meanwhile. */
    private static Optional<Record> end(Map<String, Record> records, String key) {
        Record r = records.get(key);
        if (r != null && r.inFlight > 0) {
            r.inFlight--;
        }
        return Optional.ofNullable(r);
    }
}
