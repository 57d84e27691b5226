package io.floorgate.gateway.limits;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Logs the refusals of each reason sparingly: the first at once, then at most one line a minute saying how many more
 * there were, so that a storm of refused connections, packets or frames is a few lines in the log, not one per
 * refusal. The MQTT listener and the HTTP listener each keep one for their reasons.
 *
 * <p>Threads: every event loop may ask; each reason's gate is synchronized.
 */
public final class RefusalLog<R extends Enum<R>> {

    static final long INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final Map<R, Gate> gates;

    public RefusalLog(Class<R> reasons) {
        gates = new EnumMap<>(reasons);
        for (R reason : reasons.getEnumConstants()) {
            gates.put(reason, new Gate());
        }
    }

    /**
     * A refusal for {@code reason} (named {@code label} in the line): empty when its line is held back; otherwise the
     * end of the line, which says how many were held back since the last one (nothing when none were).
     */
    public Optional<String> pass(R reason, String label) {
        long heldBack = gates.get(reason).pass(System.nanoTime());
        if (heldBack < 0) {
            return Optional.empty();
        }
        return Optional.of(heldBack == 0 ? ""
                : "; " + heldBack + " more refused for " + label + " since the last such line");
    }

    /** One line a minute; counts the ones it holds back. */
    private static final class Gate {

        private long nextLineAt;
        private boolean logged;
        private long heldBack;

        /** @return how many were held back since the last line, when this one may be logged; -1 when it may not */
        synchronized long pass(long nowNanos) {
            if (logged && nowNanos - nextLineAt < 0) {
                heldBack++;
                return -1;
            }
            logged = true;
            nextLineAt = nowNanos + INTERVAL_NANOS;
            long held = heldBack;
            heldBack = 0;
            return held;
        }
    }
}
