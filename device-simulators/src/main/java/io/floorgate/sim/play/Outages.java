package io.floorgate.sim.play;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Now and then one BLE receiver drops off the network and comes back, so that the ops page has a device going offline
 * to show: every {@code every} of simulated time the next receiver in turn drops its connection (no DISCONNECT, as
 * when Wi-Fi fails) and reconnects after {@code length}. Driven by simulated time only, so a seed replays the same
 * outages. Single-threaded: the player's tick thread.
 */
public final class Outages {

    /** What happens at one tick. */
    sealed interface Step {
        record Drop(String deviceId) implements Step {
        }

        record Restore(String deviceId) implements Step {
        }
    }

    private final long everyMs;
    private final long lengthMs;
    private final List<String> receivers;
    private int next;
    private String down;
    private long downUntilMs;
    private long nextAtMs;

    /** @param receivers the devices taking turns, in a fixed order */
    public Outages(Duration every, Duration length, List<String> receivers) {
        if (length.isNegative() || length.isZero() || every.compareTo(length) <= 0) {
            throw new IllegalArgumentException("an outage must last a while and be shorter than the time between two");
        }
        this.everyMs = every.toMillis();
        this.lengthMs = length.toMillis();
        this.receivers = List.copyOf(receivers);
        this.nextAtMs = everyMs;
    }

    /** At simulated time {@code simMs}: a receiver to drop, one to bring back, or nothing. */
    Optional<Step> at(long simMs) {
        if (down != null && simMs >= downUntilMs) {
            String back = down;
            down = null;
            return Optional.of(new Step.Restore(back));
        }
        if (down == null && !receivers.isEmpty() && simMs >= nextAtMs) {
            down = receivers.get(next++ % receivers.size());
            downUntilMs = simMs + lengthMs;
            nextAtMs += everyMs;
            return Optional.of(new Step.Drop(down));
        }
        return Optional.empty();
    }

    long lengthMs() {
        return lengthMs;
    }
}
