package io.floorgate.gateway.linking;

import java.time.Duration;

import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the registry's expiry sweep every {@link #SWEEP_PERIOD} on a Vert.x timer, and writes what it found on a
 * worker. Last activity reaches H2 only here, at most once per sweep per session rather than once per request;
 * after a crash a session may therefore expire up to one sweep period early.
 */
public final class SessionExpiry {

    private static final Logger LOG = LoggerFactory.getLogger(SessionExpiry.class);

    /** A session ends at most this long after its timeout; short next to the shortest timeout allowed (1 m). */
    public static final Duration SWEEP_PERIOD = Duration.ofSeconds(10);

    private final Vertx vertx;
    private final SessionRegistry registry;
    private final SessionTable table;
    private long timer = -1;

    public SessionExpiry(Vertx vertx, SessionRegistry registry, SessionTable table) {
        this.vertx = vertx;
        this.registry = registry;
        this.table = table;
    }

    public void start() {
        timer = vertx.setPeriodic(SWEEP_PERIOD.toMillis(), id -> sweep());
    }

    public void stop() {
        vertx.cancelTimer(timer);
    }

    private void sweep() {
        SessionSweep sweep = registry.sweep();
        if (!sweep.expired().isEmpty()) {
            LOG.info("{} shopper session(s) expired after inactivity", sweep.expired().size());
        }
        vertx.executeBlocking(() -> {
            table.record(sweep);
            return null;
        }, false).onFailure(e -> LOG.warn("Writing the session sweep failed: {}", e.toString()));
    }
}
