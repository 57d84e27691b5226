package io.floorgate.sim.misbehave;

import java.util.OptionalDouble;

/**
 * How one case went.
 *
 * @param misbehaveCase the case
 * @param answer        what came back
 * @param metricDelta   how much the matching counter moved; empty when /metrics could not be read
 * @param passed        the answer was one of the expected ones and the counter moved as it should
 */
public record CaseResult(MisbehaveCase misbehaveCase, Answer answer, OptionalDouble metricDelta, boolean passed) {

    public String line() {
        MisbehaveCase c = misbehaveCase;
        String metric = c.metric() == null ? "" : " | " + (c.reason() == null ? c.metric() : c.reason()) + " "
                + (metricDelta.isPresent() ? String.format("%+.0f", metricDelta.getAsDouble()) : "n/a");
        return String.format("%-4s %-22s | sent: %s | got: %s%s", passed ? "ok" : "FAIL", c.name(), c.sent(), answer,
                metric);
    }
}
