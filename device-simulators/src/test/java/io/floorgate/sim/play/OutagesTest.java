package io.floorgate.sim.play;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutagesTest {

    @Test
    void at_whenSimulatedTimePasses_thenReceiversTakeTurnsDroppingAndComingBack() {
        Outages outages = new Outages(Duration.ofMinutes(5), Duration.ofMinutes(1), List.of("ble-1", "ble-2"));
        List<Object> steps = new ArrayList<>();

        for (long ms = 0; ms <= Duration.ofMinutes(16).toMillis(); ms += StoreSimulation.TICK_MS) {
            long at = ms;
            outages.at(ms).ifPresent(step -> steps.add(at / 1000 + "s " + step));
        }

        assertThat(steps).containsExactly(
                "300s Drop[deviceId=ble-1]", "360s Restore[deviceId=ble-1]",
                "600s Drop[deviceId=ble-2]", "660s Restore[deviceId=ble-2]",
                "900s Drop[deviceId=ble-1]", "960s Restore[deviceId=ble-1]");
    }

    @Test
    void new_whenAnOutageWouldLastUntilTheNext_thenRefused() {
        assertThatThrownBy(() -> new Outages(Duration.ofMinutes(1), Duration.ofMinutes(1), List.of("ble-1")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Outages(Duration.ofMinutes(1), Duration.ZERO, List.of("ble-1")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
