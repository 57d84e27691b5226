package io.floorgate.gateway.summary;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

import io.floorgate.gateway.ingest.Rejection;
import io.floorgate.proto.v1.IngestStorm;
import org.junit.jupiter.api.Test;

class StormWatchTest {

    private static final long T0 = 1_700_000_000_000L;
    private static final long WINDOW_MS = StormWatch.WINDOW_S * 1000L;

    private final Map<Rejection, Map<String, Long>> counts = new EnumMap<>(Rejection.class);
    private final StormWatch watch = new StormWatch(this::copy, T0);

    @Test
    void tick_whenOneDeviceIsRefusedAtTheFloodThreshold_thenAFloodBeginsOnceAndEndsAfterAQuietWindow() {
        add(Rejection.RATE_LIMITED, "ble-1", StormWatch.FLOOD_REFUSALS - 10);
        add(Rejection.NOT_PROTOBUF, "ble-1", 10);
        add(Rejection.RATE_LIMITED, "ble-2", 5);

        assertThat(watch.tick(T0 + WINDOW_MS - 1)).isEmpty();
        assertThat(watch.tick(T0 + WINDOW_MS)).containsExactly(new StormWatch.Storm(IngestStorm.Kind.FLOOD,
                StormWatch.FLOOD_REFUSALS, "ble-1", T0 + WINDOW_MS));

        add(Rejection.RATE_LIMITED, "ble-1", StormWatch.FLOOD_REFUSALS);
        assertThat(watch.tick(T0 + 2 * WINDOW_MS)).as("the same flood, still going").isEmpty();
        assertThat(watch.tick(T0 + 3 * WINDOW_MS)).as("a quiet window").isEmpty();
        add(Rejection.DUPLICATE, "ble-1", StormWatch.FLOOD_REFUSALS);
        assertThat(watch.tick(T0 + 4 * WINDOW_MS)).extracting(StormWatch.Storm::kind)
                .containsExactly(IngestStorm.Kind.FLOOD);
    }

    @Test
    void tick_whenRefusalsStayBelowTheThresholds_thenNoStorm() {
        add(Rejection.RATE_LIMITED, "ble-1", StormWatch.FLOOD_REFUSALS - 1);
        add(Rejection.STORE_FAILED, "ble-1", StormWatch.FLOOD_REFUSALS);
        add(Rejection.UNKNOWN_DEVICE, "unknown", StormWatch.UNKNOWN_DEVICE_REFUSALS - 1);
        add(Rejection.SERVER_BUSY, "unknown", StormWatch.UNKNOWN_DEVICE_REFUSALS);

        assertThat(watch.tick(T0 + WINDOW_MS)).isEmpty();
    }

    @Test
    void tick_whenUnknownAndBadCredentialsAddUpToTheThreshold_thenAnUnknownDeviceStormBegins() {
        add(Rejection.UNKNOWN_DEVICE, "unknown", StormWatch.UNKNOWN_DEVICE_REFUSALS / 2);
        add(Rejection.BAD_SECRET, "nfc-1", StormWatch.UNKNOWN_DEVICE_REFUSALS / 2);

        assertThat(watch.tick(T0 + WINDOW_MS + 300)).containsExactly(new StormWatch.Storm(
                IngestStorm.Kind.UNKNOWN_DEVICES, StormWatch.UNKNOWN_DEVICE_REFUSALS, "", T0 + WINDOW_MS));
    }

    private void add(Rejection reason, String device, long n) {
        counts.computeIfAbsent(reason, r -> new HashMap<>()).merge(device, n, Long::sum);
    }

    private Map<Rejection, Map<String, Long>> copy() {
        Map<Rejection, Map<String, Long>> copy = new EnumMap<>(Rejection.class);
        counts.forEach((reason, byDevice) -> copy.put(reason, Map.copyOf(byDevice)));
        return copy;
    }
}
