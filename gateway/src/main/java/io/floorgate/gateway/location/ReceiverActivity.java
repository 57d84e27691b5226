package io.floorgate.gateway.location;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.floorgate.config.Device;
import io.floorgate.gateway.ingest.SightingListener;
import io.floorgate.proto.v1.DeviceEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The location stage's intake: what each BLE receiver heard last, and how many advertisers in all.
 * Zone estimation per shopper builds on this (see issue "Shoppers"); until then this is the live,
 * in-memory state that QoS 0 sightings update instead of being stored raw.
 *
 * <p>Called on event loops; per-receiver state is replaced whole, never mutated in place.
 */
public final class ReceiverActivity implements SightingListener {

    /** What one receiver reported in its latest batch. */
    public record LastReport(long observedAtMs, long receivedAtMs, int advertisersHeard) {
    }

    private final Map<String, LastReport> lastReports = new ConcurrentHashMap<>();
    private final Counter sightings;

    public ReceiverActivity(MeterRegistry metrics) {
        this.sightings = Counter.builder("floorgate.location.sightings")
                .description("Advertisers heard, summed over all receivers' batches").register(metrics);
    }

    @Override
    public void onSightings(Device receiver, DeviceEvent event, long receivedAtMs) {
        int heard = event.getBeaconSightings().getSightingsCount();
        lastReports.put(receiver.id(), new LastReport(event.getObservedAtMs(), receivedAtMs, heard));
        sightings.increment(heard);
    }

    public Map<String, LastReport> lastReports() {
        return Map.copyOf(lastReports);
    }
}
