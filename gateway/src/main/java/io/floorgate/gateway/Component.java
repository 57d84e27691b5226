package io.floorgate.gateway;

import java.util.function.Supplier;

import io.vertx.core.Future;

/**
 * A part of the running gateway with a lifetime of its own: storage, a stage, a listener, a timer. The
 * {@link Lifecycle} starts components in the order they depend on each other and stops them in reverse, so a
 * component may use everything started before it, from its start until its stop.
 *
 * <p>Threads: {@link #start} and {@link #stop} are called on a Vert.x context and must not block; blocking work
 * (opening H2, draining the committer) goes to a worker and is returned as a future.
 */
public interface Component {

    /** For logs: what this component is. */
    String name();

    /** Completes once the component is serving. */
    Future<Void> start();

    /** Completes once the component has let go of everything it held; called once, and only after a start. */
    Future<Void> stop();

    /** A component made of two steps, for the small ones (a timer, a subscription). */
    static Component of(String name, Supplier<Future<Void>> start, Supplier<Future<Void>> stop) {
        return new Component() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Future<Void> start() {
                return start.get();
            }

            @Override
            public Future<Void> stop() {
                return stop.get();
            }
        };
    }

    /** A component whose start and stop are plain, non-blocking calls. */
    static Component of(String name, Runnable start, Runnable stop) {
        return of(name, () -> {
            start.run();
            return Future.succeededFuture();
        }, () -> {
            stop.run();
            return Future.succeededFuture();
        });
    }
}
