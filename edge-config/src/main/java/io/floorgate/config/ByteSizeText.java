package io.floorgate.config;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one way sizes on disk are written in a store file: an integer and a unit, B, KB, MB, GB or TB, each 1024
 * times the one before (64MB is 67,108,864 bytes), as disk tools count free space.
 */
final class ByteSizeText {

    static final String ACCEPTED_FORMS = "an integer followed by B, KB, MB, GB or TB, for example 512KB or 64MB";

    /** Fifteen digits of bytes is already more than any disk; longer numbers are typos. */
    private static final Pattern FORM = Pattern.compile("([0-9]{1,15})(B|KB|MB|GB|TB)");
    /** Largest first, so that {@link #format} picks the shortest spelling. */
    private static final List<String> UNITS = List.of("TB", "GB", "MB", "KB", "B");
    private static final long KIBI = 1024;

    private ByteSizeText() {
    }

    /** Empty when the text is not a size, or one too large for a long. */
    static Optional<Long> parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        long amount = Long.parseLong(m.group(1));
        long unit = unitBytes(m.group(2));
        if (amount > Long.MAX_VALUE / unit) {
            return Optional.empty();
        }
        return Optional.of(amount * unit);
    }

    /** Writes a size the way a store file would, for messages: 1048576 bytes is written 1MB. */
    static String format(long bytes) {
        for (String unit : UNITS) {
            long size = unitBytes(unit);
            if (bytes % size == 0 && bytes != 0) {
                return bytes / size + unit;
            }
        }
        return bytes + "B";
    }

    private static long unitBytes(String unit) {
        long bytes = 1;
        for (int i = UNITS.indexOf(unit); i < UNITS.size() - 1; i++) {
            bytes *= KIBI;
        }
        return bytes;
    }
}
