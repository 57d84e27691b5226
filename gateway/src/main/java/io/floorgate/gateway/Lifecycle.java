package io.floorgate.gateway;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts components one after the other, each only once the one before it has started, and stops the started ones
 * in reverse. A start that fails stops nothing by itself: the caller stops what did start (the gateway does, so a
 * failed start leaves no port bound and no database open).
 *
 * <p>Threads: called on one Vert.x context, one call at a time.
 */
final class Lifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);

    /** Started components, the last started first. */
    private final Deque<Component> started = new ArrayDeque<>();

    /** Starts each in order; fails with the first failure, leaving the components before it started. */
    Future<Void> start(List<Component> components) {
        Future<Void> chain = Future.succeededFuture();
        for (Component component : components) {
            chain = chain.compose(v -> component.start()
                    .onSuccess(ok -> started.push(component))
                    .recover(e -> Future.failedFuture(new IllegalStateException(
                            component.name() + " did not start: " + e.getMessage(), e))));
        }
        return chain;
    }

    /**
     * Stops every started component, the last started first. A component that fails to stop is logged and the
     * others are still stopped: a stop must let go of the database even if a listener would not close.
     */
    Future<Void> stop() {
        Future<Void> chain = Future.succeededFuture();
        while (!started.isEmpty()) {
            Component component = started.pop();
            chain = chain.compose(v -> component.stop().recover(e -> {
                LOG.warn("{} did not stop cleanly: {}", component.name(), e.toString());
                return Future.succeededFuture();
            }));
        }
        return chain;
    }
}
