package io.floorgate.gateway.pickup;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** The pickup stage's meters: orders per state, arrivals and hand-offs by source, wait times, breaches. */
final class PickupMetrics {

    private final MeterRegistry registry;
    private final Map<OrderState, AtomicInteger> byState = new EnumMap<>(OrderState.class);
    private final Timer wait;
    private final Counter breaches;
    private final Counter deviceRefusals;

    PickupMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (OrderState state : OrderState.values()) {
            AtomicInteger count = new AtomicInteger();
            byState.put(state, count);
            Gauge.builder("floorgate.pickup.orders", count, AtomicInteger::get).description("Pickup orders held, by state")
                    .tag("state", state.name().toLowerCase(Locale.ROOT)).register(registry);
        }
        wait = Timer.builder("floorgate.pickup.wait").description("Shoppers' wait from arrival to hand-off")
                .register(registry);
        breaches = Counter.builder("floorgate.pickup.sla.breaches")
                .description("Orders whose wait exceeded the pickup service level").register(registry);
        deviceRefusals = Counter.builder("floorgate.pickup.device.refused")
                .description("Kiosk check-ins and NFC taps that matched no order or no allowed step").register(registry);
    }

    /** Moves one order between states; either side may be null (new, evicted). */
    void moved(OrderState from, OrderState to) {
        if (from != null) {
            byState.get(from).decrementAndGet();
        }
        if (to != null) {
            byState.get(to).incrementAndGet();
        }
    }

    void arrived(StepSource source) {
        Counter.builder("floorgate.pickup.arrivals").description("Shoppers arrived for an order, by how it was known")
                .tag("source", source.label()).register(registry).increment();
    }

    void handedOff(StepSource source, long waitMs) {
        Counter.builder("floorgate.pickup.handoffs").description("Orders handed off, by how it was confirmed")
                .tag("source", source.label()).register(registry).increment();
        wait.record(Duration.ofMillis(waitMs));
    }

    void breached() {
        breaches.increment();
    }

    void deviceRefused() {
        deviceRefusals.increment();
    }
}
