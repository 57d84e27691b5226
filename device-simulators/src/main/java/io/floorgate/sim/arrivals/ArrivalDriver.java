package io.floorgate.sim.arrivals;

import io.floorgate.sim.score.ArrivalNotice;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Walks the shoppers into the pickup zone one after another: each arrival is a sighting of the shopper's current
 * id from every receiver of the zone, sent again every {@code resendEvery} as receivers keep reporting (a batch
 * may be dropped by a location stage that is behind, and an estimator may want more than one reading), until
 * staff are told or {@code timeout} after the first send.
 *
 * <p>Thread: everything runs on the receivers' event loop, which owns the {@link ArrivalLatencies}; the staff
 * stream's notifications are dated on their own thread and handed over.
 */
final class ArrivalDriver {

    private final EventLoop loop;
    private final List<PickupZoneReceiver> receivers;
    private final ArrivalLatencies latencies;
    private final long resendNanos;
    private final long timeoutNanos;
    private final CompletableFuture<ArrivalsResult> done = new CompletableFuture<>();

    /** @param loop the event loop of every one of {@code receivers} */
    ArrivalDriver(EventLoop loop, List<PickupZoneReceiver> receivers, ArrivalLatencies latencies, Duration resendEvery,
                  Duration timeout) {
        this.loop = loop;
        this.receivers = List.copyOf(receivers);
        this.latencies = latencies;
        this.resendNanos = resendEvery.toNanos();
        this.timeoutNanos = timeout.toNanos();
    }

    /** Starts one arrival every {@code interval}; completes once every arrival is notified or given up. */
    CompletableFuture<ArrivalsResult> run(List<ArrivingShopper> shoppers, Duration interval) {
        for (int i = 0; i < shoppers.size(); i++) {
            ArrivingShopper shopper = shoppers.get(i);
            loop.schedule(() -> arrive(shopper), i * interval.toNanos(), TimeUnit.NANOSECONDS);
        }
        return done;
    }

    /** On the staff stream's thread: dated at once, on the clock the sends were dated by. */
    void notified(ArrivalNotice notice) {
        long at = System.nanoTime();
        loop.execute(() -> {
            latencies.notified(notice.orderId(), at);
            finishWhenAllJudged();
        });
    }

    private void arrive(ArrivingShopper shopper) {
        long firstNanos = send(shopper);
        latencies.sent(shopper.orderId(), firstNanos);
        loop.schedule(() -> keepReporting(shopper, firstNanos), resendNanos, TimeUnit.NANOSECONDS);
    }

    private void keepReporting(ArrivingShopper shopper, long firstNanos) {
        if (!latencies.awaiting(shopper.orderId())) {
            return;
        }
        if (System.nanoTime() - firstNanos >= timeoutNanos) {
            latencies.gaveUp(shopper.orderId());
            finishWhenAllJudged();
            return;
        }
        send(shopper);
        loop.schedule(() -> keepReporting(shopper, firstNanos), resendNanos, TimeUnit.NANOSECONDS);
    }

    /** @return when the first receiver's batch was handed to its socket */
    private long send(ArrivingShopper shopper) {
        long epochMs = System.currentTimeMillis();
        byte[] id = shopper.advertiser().idAt(epochMs);
        long at = System.nanoTime();
        receivers.forEach(r -> r.hear(id, epochMs));
        return at;
    }

    private void finishWhenAllJudged() {
        if (latencies.allJudged()) {
            done.complete(latencies.result());
        }
    }
}
