package io.floorgate.config;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The one way durations are written in a store file: an integer and a unit, such as 250ms, 5s, 5m, 2h or 7d. */
final class DurationText {

    static final String ACCEPTED_FORMS = "an integer followed by ms, s, m, h or d, for example 250ms, 5s, 5m, 2h or 7d";

    /** Twelve digits is already more than a thousand years in seconds; longer numbers are typos. */
    private static final Pattern FORM = Pattern.compile("([0-9]{1,12})(ms|s|m|h|d)");

    private record Unit(String suffix, ChronoUnit unit) {
    }

    /** Largest first, so that {@link #format} picks the shortest spelling. */
    private static final List<Unit> UNITS = List.of(
            new Unit("d", ChronoUnit.DAYS), new Unit("h", ChronoUnit.HOURS), new Unit("m", ChronoUnit.MINUTES),
            new Unit("s", ChronoUnit.SECONDS), new Unit("ms", ChronoUnit.MILLIS));

    private DurationText() {
    }

    static Optional<Duration> parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        long amount = Long.parseLong(m.group(1));
        ChronoUnit unit = UNITS.stream().filter(u -> u.suffix().equals(m.group(2))).findFirst().orElseThrow().unit();
        return Optional.of(Duration.of(amount, unit));
    }

    /** Writes a duration the way a store file would, for messages: 1000ms is written 1s. */
    static String format(Duration duration) {
        for (Unit u : UNITS) {
            Duration one = u.unit().getDuration();
            if (duration.toNanos() % one.toNanos() == 0) {
                return duration.dividedBy(one) + u.suffix();
            }
        }
        return duration.toString();
    }
}
