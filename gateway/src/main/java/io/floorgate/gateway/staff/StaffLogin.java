package io.floorgate.gateway.staff;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.floorgate.config.PasswordHash;
import io.floorgate.config.Staff;
import io.floorgate.config.StaffAccount;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a staff login: the lockout first, then the password on the login workers, then a new session.
 *
 * <p>No timing oracle: an id that names no account is checked against a made-up hash with the same iteration count,
 * so it costs the same PBKDF2 time as a known account with a wrong password, and both answer {@link
 * LoginResult.Refused}. A locked id answers at once whether it exists or not.
 *
 * <p>Threads: {@link #login} is called on an event loop and answers on it; the password check, about 0.3 s of one
 * core, runs on {@value #WORKER_THREADS} threads of its own, so a burst of logins neither blocks an event loop nor
 * delays the database's workers. Bound: {@value #MAX_WAITING} checks running or waiting; beyond it a login answers
 * {@link LoginResult.Busy} at once, counted with {@code result="busy"}.
 *
 * <p>Counts every attempt in {@code floorgate_staff_logins_total{result="ok|wrong|locked|busy"}}; logs a success
 * at INFO with the account id and address, a refusal at DEBUG (a lock starting is logged by {@link LoginThrottle}),
 * never the password.
 */
public final class StaffLogin {

    private static final Logger LOG = LoggerFactory.getLogger(StaffLogin.class);
    /** Two cores on a small edge machine: logins may take one, never both. */
    static final int WORKER_THREADS = 1;
    /** A shift change is a few dozen logins; more than this waiting at once is a flood. */
    static final int MAX_WAITING = 16;
    private static final String WORKER_POOL = "floorgate-staff-login";

    private final Vertx vertx;
    private final Supplier<Staff> staff;
    private final StaffSessions sessions;
    private final LoginThrottle throttle;
    private final PasswordHash unknownAccountHash;
    private final AtomicInteger waiting = new AtomicInteger();
    private final Counter ok;
    private final Counter wrong;
    private final Counter locked;
    private final Counter busy;
    private WorkerExecutor workers;

    public StaffLogin(Vertx vertx, Supplier<Staff> staff, StaffSessions sessions, LoginThrottle throttle,
                      SecureRandom random, MeterRegistry metrics) {
        this.vertx = vertx;
        this.staff = staff;
        this.sessions = sessions;
        this.throttle = throttle;
        this.unknownAccountHash = madeUpHash(random);
        this.ok = counter(metrics, "ok");
        this.wrong = counter(metrics, "wrong");
        this.locked = counter(metrics, "locked");
        this.busy = counter(metrics, "busy");
    }

    private static Counter counter(MeterRegistry metrics, String result) {
        return Counter.builder("floorgate.staff.logins").tag("result", result)
                .description("Staff login attempts by result").register(metrics);
    }

    /** Random bytes in the shape of a hash: no password matches it, and checking one costs a real check's time. */
    private static PasswordHash madeUpHash(SecureRandom random) {
        byte[] salt = new byte[PasswordHasher.SALT_BYTES];
        byte[] hash = new byte[PasswordHash.HASH_BYTES];
        random.nextBytes(salt);
        random.nextBytes(hash);
        return new PasswordHash(PasswordHasher.ITERATIONS, salt, hash);
    }

    public Future<Void> start() {
        workers = vertx.createSharedWorkerExecutor(WORKER_POOL, WORKER_THREADS);
        return Future.succeededFuture();
    }

    public Future<Void> stop() {
        return workers == null ? Future.succeededFuture() : workers.close();
    }

    /**
     * @param accountId as typed; at most 64 characters (the caller bounds it)
     * @param address   the client's address, as the TCP connection shows it
     */
    public Future<LoginResult> login(String accountId, String password, String address) {
        Optional<Duration> lock = throttle.admit(accountId, address);
        if (lock.isPresent()) {
            locked.increment();
            LOG.debug("Staff login for '{}' from {} refused: locked for {} ms", accountId, address,
                    lock.get().toMillis());
            return Future.succeededFuture(new LoginResult.Locked(lock.get()));
        }
        if (waiting.incrementAndGet() > MAX_WAITING) {
            waiting.decrementAndGet();
            // Not this id's or this address's failure: the attempt is given back unjudged.
            throttle.abandoned(accountId, address);
            busy.increment();
            return Future.succeededFuture(new LoginResult.Busy());
        }
        Optional<StaffAccount> account = staff.get().account(accountId);
        PasswordHash hash = account.map(StaffAccount::passwordHash).orElse(unknownAccountHash);
        return workers.executeBlocking(() -> PasswordHasher.matches(hash, password), false).transform(checked -> {
            waiting.decrementAndGet();
            if (checked.failed()) {
                throttle.abandoned(accountId, address);
                return Future.failedFuture(checked.cause());
            }
            if (checked.result() && account.isPresent()) {
                throttle.succeeded(accountId, address);
                ok.increment();
                LOG.info("Staff '{}' ({}) logged in from {}", accountId, account.get().role(), address);
                return Future.succeededFuture(new LoginResult.LoggedIn(sessions.open(account.get())));
            }
            throttle.failed(accountId, address);
            wrong.increment();
            LOG.debug("Staff login for '{}' from {} refused: wrong id or password", accountId, address);
            return Future.succeededFuture(new LoginResult.Refused());
        });
    }
}
