package io.floorgate.gateway.linking;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.floorgate.config.Sessions;
import io.floorgate.gateway.secrets.Secrets;
import io.floorgate.gateway.store.Database;
import io.floorgate.gateway.store.GroupCommitter;
import io.floorgate.gateway.store.SealedColumn;
import io.floorgate.gateway.store.Sealer;
import io.floorgate.gateway.store.StoreRefused;
import io.floorgate.gateway.store.StoreWrite;
import io.floorgate.gateway.store.ZoneVisitsAnonymized;
import io.floorgate.gateway.store.ZoneVisitsDeleted;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * The linking stage's sessions: opens them at check-in, checks bearer tokens, changes their consents, ends them at
 * check-out or after inactivity. A session exists in the directory only once its row is committed, so an app never
 * holds a token that a restart would forget.
 *
 * <p>Threads: every method is non-blocking and thread-safe; {@link #checkIn}, {@link #checkOut} and
 * {@link #changeConsent} complete on the caller's Vert.x context once the group committer has committed their rows.
 * A session's end and a consent taking effect are told to the listeners under the session's own monitor, so a consent
 * given as the session ends cannot bring it back to a listener that was told it ended.
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

    /** Prefix of the id a withdrawn location's zone visits are kept under: never a session id (those are hex). */
    private static final String ANONYMOUS_PREFIX = "anon-";

    /** One open session and what the registry tracks about it. */
    private static final class Open {
        /** The session with the consents in effect: a withdrawal is in effect before it is committed. */
        volatile ShopperSession session;
        /** The session with its consents as committed; what a change is stored against. */
        volatile ShopperSession stored;
        final byte[] tokenHash;
        volatile long lastActiveMs;
        /** Last activity written to H2; read and written by the sweep only. */
        long persistedActiveMs;
        /** Set once a check-out or the sweep claims the session; it no longer authenticates. */
        final AtomicBoolean ending = new AtomicBoolean();
        /** Set while a consent change is between its request and its answer: one at a time per session. */
        final AtomicBoolean changingConsent = new AtomicBoolean();

        Open(ShopperSession session, byte[] tokenHash, long lastActiveMs) {
            this.session = session;
            this.stored = session;
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
    private final Sealer sealer;
    private final Supplier<Sessions> settings;
    private final LongSupplier clock;
    private final Counter refusedAtLimit;
    private final Counter checkedOut;
    private final Counter expired;
    private final Map<Consent, Counter> withdrawnCounters = new EnumMap<>(Consent.class);
    private final Map<Consent, Counter> givenCounters = new EnumMap<>(Consent.class);

    /**
     * @param sealer   seals the advertising key in the session's row (the database's {@link Database#sealer})
     * @param settings the sessions section of the configuration in force (it may be reloaded)
     * @param clock    epoch milliseconds
     */
    public SessionRegistry(GroupCommitter committer, Sealer sealer, Supplier<Sessions> settings, LongSupplier clock,
                           MeterRegistry metrics) {
        this(MAX_OPEN_SESSIONS, committer, sealer, settings, clock, metrics);
    }

    /** @param maxOpen the bound on open sessions; tests reach a small one without opening thousands */
    SessionRegistry(int maxOpen, GroupCommitter committer, Sealer sealer, Supplier<Sessions> settings,
                    LongSupplier clock, MeterRegistry metrics) {
        this.maxOpen = maxOpen;
        this.committer = committer;
        this.sealer = sealer;
        this.settings = settings;
        this.clock = clock;
        Gauge.builder("floorgate.sessions.open", byId, Map::size).description("Shopper sessions open now")
                .register(metrics);
        this.refusedAtLimit = Counter.builder("floorgate.sessions.refused")
                .description("Check-ins refused because the store's open sessions are at their bound")
                .register(metrics);
        this.checkedOut = endedCounter(metrics, EndReason.CHECKED_OUT);
        this.expired = endedCounter(metrics, EndReason.EXPIRED);
        for (Consent consent : Consent.values()) {
            withdrawnCounters.put(consent, consentCounter(metrics, consent, "withdrawn"));
            givenCounters.put(consent, consentCounter(metrics, consent, "given"));
        }
    }

    private static Counter consentCounter(MeterRegistry metrics, Consent consent, String change) {
        return Counter.builder("floorgate.sessions.consent.changes").tag("consent", consent.field())
                .tag("change", change).description("Consents withdrawn or given during a session, as committed")
                .register(metrics);
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
                request.customer(), request.locationConsent(), request.analyticsConsent(),
                randomBytes(ADVERTISING_KEY_BYTES), settings.get().rotationPeriod(), clock.getAsLong());
        return committer.commit(List.of(new SessionStartRow(session, tokenHash,
                        sealer.seal(SealedColumn.ADVERTISING_KEY, session.id(), session.advertisingKey()))),
                        Vertx.currentContext())
                .map(v -> {
                    Open open = new Open(session, tokenHash, session.startedAtMs());
                    byId.put(session.id(), open);
                    byTokenHash.put(HEX.formatHex(tokenHash), open);
                    listeners.forEach(l -> l.started(session));
                    return new CheckIn(session, token);
                })
                .recover(failure -> refused(failure, "the session", admitted::decrementAndGet));
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
        return committer.commit(List.of(new SessionEndRow(sessionId, open.lastActiveMs, clock.getAsLong(),
                        EndReason.CHECKED_OUT)), Vertx.currentContext())
                .map(v -> {
                    forget(open);
                    checkedOut.increment();
                    return true;
                })
                .recover(failure -> refused(failure, "the check-out", () -> open.ending.set(false)));
    }

    /**
     * Gives or withdraws consents during a session: {@code wanted} names consents, each given (true) or withdrawn
     * (false); the others stay as they are. A withdrawal takes effect at once: every listener lets go of what the
     * consent allowed ({@link SessionListener#consentWithdrawn}), and only then is it committed, in one transaction
     * with the fate the store's policy ({@code sessions.onLocationWithdrawn}) gives the zone visits stored under a
     * withdrawn location consent. A consent given takes effect once committed.
     *
     * <p>Completes with the session as it now is, or empty when no open session has this id; fails with
     * {@link SessionRefused} when another change of the session's consent is under way or storage refused. A
     * withdrawal whose commit fails stays in effect (the shopper asked for less, not more); a retry is compared with
     * the consents as stored, so it writes what the failed attempt did not.
     */
    public Future<Optional<ShopperSession>> changeConsent(String sessionId, Map<Consent, Boolean> wanted) {
        Open open = byId.get(sessionId);
        if (open == null || open.ending.get()) {
            return Future.succeededFuture(Optional.empty());
        }
        if (!open.changingConsent.compareAndSet(false, true)) {
            return Future.failedFuture(new SessionRefused(SessionRefused.Reason.CONSENT_CHANGING,
                    "another change of this session's consent is under way; send yours once it is answered"));
        }
        Context caller = Vertx.currentContext();
        ShopperSession before = open.session;
        ShopperSession after = before;
        ShopperSession narrowed = before;
        List<Consent> withdrawn = new ArrayList<>();
        List<Consent> given = new ArrayList<>();
        for (Map.Entry<Consent, Boolean> change : wanted.entrySet()) {
            Consent consent = change.getKey();
            after = after.with(consent, change.getValue());
            if (before.has(consent) && !change.getValue()) {
                withdrawn.add(consent);
                narrowed = narrowed.with(consent, false);
            } else if (!before.has(consent) && change.getValue()) {
                given.add(consent);
            }
        }
        List<Future<Void>> lettingGo = new ArrayList<>();
        synchronized (open) {
            if (byId.get(sessionId) == open) {
                open.session = narrowed;
                for (Consent consent : withdrawn) {
                    for (SessionListener listener : listeners) {
                        lettingGo.add(listener.consentWithdrawn(narrowed, consent));
                    }
                }
            }
        }
        ShopperSession target = after;
        return Future.all(lettingGo).transform(letGo -> storeConsent(open, target, given, caller))
                .andThen(done -> open.changingConsent.set(false));
    }

    /** Commits the consents of {@code after} unless they are stored already, then puts the given ones in effect. */
    private Future<Optional<ShopperSession>> storeConsent(Open open, ShopperSession after, List<Consent> given,
                                                         Context caller) {
        ShopperSession stored = open.stored;
        List<StoreWrite> writes = new ArrayList<>();
        if (stored.locationConsent() != after.locationConsent() || stored.analyticsConsent() != after.analyticsConsent()) {
            writes.add(new SessionConsentRow(after));
        }
        if (stored.locationConsent() && !after.locationConsent()) {
            writes.add(switch (settings.get().onLocationWithdrawn()) {
                case DELETE -> new ZoneVisitsDeleted(after.id());
                case ANONYMIZE -> new ZoneVisitsAnonymized(after.id(),
                        ANONYMOUS_PREFIX + HEX.formatHex(randomBytes(SESSION_ID_BYTES)));
            });
            writes.add(new TouchZonesCleared(after.id()));
        }
        if (writes.isEmpty()) {
            putInEffect(open, after, given);
            return Future.succeededFuture(Optional.of(after));
        }
        return committer.commit(writes, caller)
                .map(v -> {
                    open.stored = after;
                    for (Consent consent : Consent.values()) {
                        if (stored.has(consent) != after.has(consent)) {
                            (after.has(consent) ? givenCounters : withdrawnCounters).get(consent).increment();
                        }
                    }
                    putInEffect(open, after, given);
                    return Optional.of(after);
                })
                .recover(failure -> refused(failure, "the consent change", () -> { }));
    }

    /**
     * The app's answer when the store did not take {@code what}: busy or failed, after {@code undo} gave back what was
     * taken for it. Anything else fails as it is.
     */
    private static <T> Future<T> refused(Throwable failure, String what, Runnable undo) {
        Optional<StoreRefused> refused = StoreRefused.of(failure);
        if (refused.isEmpty()) {
            return Future.failedFuture(failure);
        }
        undo.run();
        return Future.failedFuture(refused.get().busy()
                ? new SessionRefused(SessionRefused.Reason.STORAGE_BUSY, refused.get().getMessage())
                : new SessionRefused(SessionRefused.Reason.STORAGE_FAILED,
                        what + " could not be stored: " + refused.get().getMessage()));
    }

    /** The consents given take effect, unless the session has ended meanwhile: a listener must not get it back. */
    private void putInEffect(Open open, ShopperSession after, List<Consent> given) {
        synchronized (open) {
            if (byId.get(after.id()) == open) {
                open.session = after;
                for (Consent consent : given) {
                    listeners.forEach(l -> l.consentGiven(after, consent));
                }
            }
        }
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

    /**
     * Ends every open session of a customer whose data is being erased, without writing their end: the erasure deletes
     * their rows. Listeners are told each has ended, as for a check-out. Until the erasure is committed a restart would
     * restore them; the erasure is then simply asked again.
     *
     * @return the ids of the sessions ended
     */
    public Set<String> remove(CustomerHash customer) {
        Set<String> removed = new HashSet<>();
        for (Open open : byId.values()) {
            if (open.session.customer().filter(c -> c.hash().equals(customer)).isPresent()
                    && open.ending.compareAndSet(false, true)) {
                forget(open);
                removed.add(open.session.id());
            }
        }
        return removed;
    }

    private void forget(Open open) {
        synchronized (open) {
            if (byId.remove(open.session.id(), open)) {
                byTokenHash.remove(HEX.formatHex(open.tokenHash), open);
                admitted.decrementAndGet();
                listeners.forEach(l -> l.ended(open.session.id()));
            }
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
