package io.floorgate.gateway.linking;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.floorgate.config.Sessions;
import io.floorgate.gateway.secrets.Secrets;
import io.floorgate.gateway.store.CommitListener;
import io.floorgate.gateway.store.GroupCommitter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * The linking stage's sessions: opens them at check-in, checks bearer tokens, ends them at check-out or after
 * inactivity. A session exists in the directory only once its row is committed, so an app never holds a token
 * that a restart would forget.
 *
 * <p>Threads: every method is non-blocking and thread-safe; {@link #checkIn} and {@link #checkOut} complete on
 * the caller's Vert.x context once the group committer has committed their row.
 *
 * <p>Secrets: the session id is 128 random bits (hex), the token 256 random bits (base64url) kept only as its
 * SHA-256, the advertising key 32 random bytes. A token is compared with the stored hash in constant time.
 */
public final class SessionRegistry implements SessionDirectory {

    /**
     * Open sessions the store holds at most; a check-in beyond it is refused (503) rather than let memory and the
     * resolver's per-slot tables grow without bound. Several times the busiest store's shoppers at once.
     */
    public static final int MAX_OPEN_SESSIONS = 20_000;

    private static final int SESSION_ID_BYTES = 16;
    private static final int TOKEN_BYTES = 32;
    private static final int ADVERTISING_KEY_BYTES = 32;
    private static final HexFormat HEX = HexFormat.of();

    /** One open session and what the registry tracks about it. */
    private static final class Open {
        final ShopperSession session;
        final byte[] tokenHash;
        volatile long lastActiveMs;
        /** Last activity written to H2; read and written by the sweep only. */
        long persistedActiveMs;
        /** Set once a check-out or the sweep claims the session; it no longer authenticates. */
        final AtomicBoolean ending = new AtomicBoolean();

        Open(ShopperSession session, byte[] tokenHash, long lastActiveMs) {
            this.session = session;
            this.tokenHash = tokenHash;
            this.lastActiveMs = lastActiveMs;
            this.persistedActiveMs = lastActiveMs;
        }
    }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Open> byId = new ConcurrentHashMap<>();
    /** By hex SHA-256 of the token, for requests that carry a token but no session id. */
    private final Map<String, Open> byTokenHash = new ConcurrentHashMap<>();
    /** Open sessions plus check-ins waiting for their commit: what the bound is checked against. */
    private final AtomicInteger admitted = new AtomicInteger();
    private final List<SessionListener> listeners = new CopyOnWriteArrayList<>();
    private final int maxOpen;
    private final GroupCommitter committer;
    private final Supplier<Sessions> settings;
    private final LongSupplier clock;
    private final Counter refusedAtLimit;
    private final Counter checkedOut;
    private final Counter expired;

    /**
     * @param settings the sessions section of the configuration in force (it may be reloaded)
     * @param clock    epoch milliseconds
     */
    public SessionRegistry(GroupCommitter committer, Supplier<Sessions> settings, LongSupplier clock,
                           MeterRegistry metrics) {
        this(MAX_OPEN_SESSIONS, committer, settings, clock, metrics);
    }

    /** @param maxOpen the bound on open sessions; tests reach a small one without opening thousands */
    SessionRegistry(int maxOpen, GroupCommitter committer, Supplier<Sessions> settings, LongSupplier clock,
                    MeterRegistry metrics) {
        this.maxOpen = maxOpen;
        this.committer = committer;
        this.settings = settings;
        this.clock = clock;
        Gauge.builder("floorgate.sessions.open", byId, Map::size).description("Shopper sessions open now")
                .register(metrics);
        this.refusedAtLimit = Counter.builder("floorgate.sessions.refused")
                .description("Check-ins refused because the store's open sessions are at their bound")
                .register(metrics);
        this.checkedOut = endedCounter(metrics, EndReason.CHECKED_OUT);
        this.expired = endedCounter(metrics, EndReason.EXPIRED);
    }

    private static Counter endedCounter(MeterRegistry metrics, EndReason reason) {
        return Counter.builder("floorgate.sessions.ended").tag("reason", reason.column())
                .description("Shopper sessions ended").register(metrics);
    }

    /** Puts back the sessions open at the last stop; call before the API takes requests. */
    public void restore(Collection<StoredSession> stored) {
        for (StoredSession s : stored) {
            Open open = new Open(s.session(), s.tokenHash(), s.lastActiveMs());
            byId.put(s.session().id(), open);
            byTokenHash.put(HEX.formatHex(s.tokenHash()), open);
            admitted.incrementAndGet();
        }
    }

    /** Completes with the new session once its row is committed, or fails with {@link SessionRefused}. */
    public Future<CheckIn> checkIn(CheckInRequest request) {
        if (admitted.incrementAndGet() > maxOpen) {
            admitted.decrementAndGet();
            refusedAtLimit.increment();
            return Future.failedFuture(new SessionRefused(SessionRefused.Reason.SESSION_LIMIT,
                    "the store has " + maxOpen + " open sessions, its limit; try again later"));
        }
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(TOKEN_BYTES));
        byte[] tokenHash = Secrets.sha256(token);
        ShopperSession session = new ShopperSession(HEX.formatHex(randomBytes(SESSION_ID_BYTES)), request.appInstance(),
                request.customerRef(), request.locationConsent(), request.analyticsConsent(),
                randomBytes(ADVERTISING_KEY_BYTES), settings.get().rotationPeriod(), clock.getAsLong());
        Promise<CheckIn> done = Promise.promise();
        boolean queued = committer.offer(new SessionStartRow(session, tokenHash), Vertx.currentContext(),
                new CommitListener() {
                    @Override
                    public void committed() {
                        Open open = new Open(session, tokenHash, session.startedAtMs());
                        byId.put(session.id(), open);
                        byTokenHash.put(HEX.formatHex(tokenHash), open);
                        listeners.forEach(l -> l.started(session));
                        done.complete(new CheckIn(session, token));
                    }

                    @Override
                    public void failed(Exception cause) {
                        admitted.decrementAndGet();
                        done.fail(new SessionRefused(SessionRefused.Reason.STORAGE_FAILED,
                                "the session could not be stored: " + cause.getMessage()));
                    }
                });
        if (!queued) {
            admitted.decrementAndGet();
            return Future.failedFuture(new SessionRefused(SessionRefused.Reason.STORAGE_BUSY,
                    "storage is busy; try again shortly"));
        }
        return done.future();
    }

    /**
     * Checks a token against a session and, when it matches, counts the session as active now. A session being
     * checked out, or idle past the timeout, answers {@link Authentication.UnknownSession}, as one already gone does.
     */
    public Authentication authenticate(String sessionId, String token) {
        Open open = byId.get(sessionId);
        long now = clock.getAsLong();
        if (open == null || !usable(open, now)) {
            return new Authentication.UnknownSession();
        }
        if (!Secrets.matchesDigest(open.tokenHash, token)) {
            return new Authentication.WrongToken();
        }
        open.lastActiveMs = now;
        return new Authentication.Granted(open.session);
    }

    /**
     * The session a token belongs to, for requests that name no session. The lookup is by the token's hash: its
     * timing can tell an attacker at most something about a SHA-256 value, which does not help find a token.
     */
    public Optional<ShopperSession> authenticate(String token) {
        Open open = byTokenHash.get(HEX.formatHex(Secrets.sha256(token)));
        long now = clock.getAsLong();
        if (open == null || !usable(open, now)) {
            return Optional.empty();
        }
        open.lastActiveMs = now;
        return Optional.of(open.session);
    }

    /**
     * Not being ended, and not idle past the timeout: a request between the timeout and the next sweep must not
     * revive a session that has expired in all but the writing.
     */
    private boolean usable(Open open, long now) {
        return !open.ending.get() && now - open.lastActiveMs < settings.get().inactivityTimeout().toMillis();
    }

    /**
     * Ends a session as checked out once that is committed. Completes with false when the session is not open
     * (or another check-out or the sweep got to it first); fails with {@link SessionRefused} when storage did.
     */
    public Future<Boolean> checkOut(String sessionId) {
        Open open = byId.get(sessionId);
        if (open == null || !open.ending.compareAndSet(false, true)) {
            return Future.succeededFuture(false);
        }
        Promise<Boolean> done = Promise.promise();
        boolean queued = committer.offer(new SessionEndRow(sessionId, open.lastActiveMs, clock.getAsLong(),
                EndReason.CHECKED_OUT), Vertx.currentContext(), new CommitListener() {
                    @Override
                    public void committed() {
                        forget(open);
                        checkedOut.increment();
                        done.complete(true);
                    }

                    @Override
                    public void failed(Exception cause) {
                        open.ending.set(false);
                        done.fail(new SessionRefused(SessionRefused.Reason.STORAGE_FAILED,
                                "the check-out could not be stored: " + cause.getMessage()));
                    }
                });
        if (!queued) {
            open.ending.set(false);
            return Future.failedFuture(new SessionRefused(SessionRefused.Reason.STORAGE_BUSY,
                    "storage is busy; try again shortly"));
        }
        return done.future();
    }

    /**
     * Ends the sessions idle for the inactivity timeout and notes which others were active since the last sweep.
     * Expired sessions leave the directory at once; the caller writes the result with {@link SessionTable}.
     * Called by one thread at a time.
     */
    public SessionSweep sweep() {
        long now = clock.getAsLong();
        long idleLimitMs = settings.get().inactivityTimeout().toMillis();
        List<SessionActivity> ended = new ArrayList<>();
        List<SessionActivity> active = new ArrayList<>();
        for (Open open : byId.values()) {
            long lastActive = open.lastActiveMs;
            if (now - lastActive >= idleLimitMs) {
                if (open.ending.compareAndSet(false, true)) {
                    forget(open);
                    expired.increment();
                    ended.add(new SessionActivity(open.session.id(), lastActive));
                }
            } else if (lastActive > open.persistedActiveMs) {
                open.persistedActiveMs = lastActive;
                active.add(new SessionActivity(open.session.id(), lastActive));
            }
        }
        return new SessionSweep(now, ended, active);
    }

    private void forget(Open open) {
        if (byId.remove(open.session.id(), open)) {
            byTokenHash.remove(HEX.formatHex(open.tokenHash), open);
            admitted.decrementAndGet();
            listeners.forEach(l -> l.ended(open.session.id()));
        }
    }

    @Override
    public Collection<ShopperSession> active() {
        return byId.values().stream().map(o -> o.session).toList();
    }

    @Override
    public Optional<ShopperSession> find(String sessionId) {
        return Optional.ofNullable(byId.get(sessionId)).map(o -> o.session);
    }

    @Override
    public void subscribe(SessionListener listener) {
        listeners.add(listener);
    }

    private byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        random.nextBytes(bytes);
        return bytes;
    }
}
