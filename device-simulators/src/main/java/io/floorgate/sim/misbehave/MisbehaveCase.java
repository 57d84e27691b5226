package io.floorgate.sim.misbehave;

import java.util.Set;

/**
 * One bad input and the answer it must get.
 *
 * @param name          short id of the case
 * @param sent          what is sent, for the report
 * @param expected      answers that are right (a topic violation may be acknowledged or close the connection)
 * @param metric        the counter that must move, e.g. floorgate_ingest_rejected_total; null for none
 * @param reason        the counter's reason label; null when the metric has no reason label
 * @param expectedDelta how much it must move at least (0: must not move at all)
 * @param play          sends the input and reports the answer
 */
public record MisbehaveCase(String name, String sent, Set<Answer.Kind> expected, String metric, String reason,
                            int expectedDelta, Play play) {

    /** Plays the case against the gateway. Blocks its thread; may open and close its own connections. */
    @FunctionalInterface
    public interface Play {
        Answer run(Probe probe) throws Exception;
    }
}
