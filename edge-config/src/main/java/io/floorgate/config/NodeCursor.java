package io.floorgate.config;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * One node of the YAML tree together with its field path (devices[3].secret). Each typed read either returns the
 * value or reports what is wrong, with the node's line and column, and returns empty: the caller carries on, so
 * that one pass finds every problem.
 */
final class NodeCursor {

    /** YAML 1.1 also reads 0x1F, 017 and 1:30 as integers; in a store file those are surely mistakes. */
    private static final Pattern DECIMAL_INTEGER = Pattern.compile("[-+]?(0|[1-9][0-9]*)");

    private final Node node;
    private final String path;
    private final Problems problems;

    NodeCursor(Node node, String path, Problems problems) {
        this.node = node;
        this.path = path;
        this.problems = problems;
        problems.sourceMap().remember(path, node.getStartMark());
    }

    String path() {
        return path;
    }

    void report(String message) {
        problems.report(node.getStartMark(), path, message);
    }

    /**
     * This node as a mapping that may hold only the given fields. A field left empty ({@code limits:}) reads as an
     * empty mapping, so every default applies.
     */
    Optional<MappingCursor> mapping(List<String> knownKeys) {
        if (node instanceof MappingNode m) {
            return Optional.of(new MappingCursor(path, m.getValue(), knownKeys, problems));
        }
        if (isNull()) {
            return Optional.of(new MappingCursor(path, List.of(), knownKeys, problems));
        }
        report("expected a mapping with the fields " + String.join(", ", knownKeys));
        return Optional.empty();
    }

    /** Every item of a list that reads well; the ones that do not are reported. An empty field reads as []. */
    <T> Optional<List<T>> eachOf(Function<NodeCursor, Optional<T>> item) {
        return items().map(items -> items.stream().map(item).flatMap(Optional::stream).toList());
    }

    /** All items of a list, or empty when any of them is wrong: for lists whose items mean something together. */
    <T> Optional<List<T>> allOf(Function<NodeCursor, Optional<T>> item) {
        return items().flatMap(items -> {
            List<Optional<T>> read = items.stream().map(item).toList();
            return read.stream().allMatch(Optional::isPresent)
                    ? Optional.of(read.stream().map(Optional::get).toList())
                    : Optional.empty();
        });
    }

    private Optional<List<NodeCursor>> items() {
        if (isNull()) {
            return Optional.of(List.of());
        }
        if (!(node instanceof SequenceNode s)) {
            report("expected a list");
            return Optional.empty();
        }
        List<NodeCursor> items = new ArrayList<>();
        for (int i = 0; i < s.getValue().size(); i++) {
            items.add(new NodeCursor(s.getValue().get(i), path + "[" + i + "]", problems));
        }
        return Optional.of(items);
    }

    /** Any scalar as text: sku 1001 written without quotes is still the text "1001". */
    Optional<String> text() {
        if (!(node instanceof ScalarNode s)) {
            report("expected a text value");
            return Optional.empty();
        }
        if (isNull()) {
            report("has no value");
            return Optional.empty();
        }
        if (s.getValue().isBlank()) {
            report("is blank");
            return Optional.empty();
        }
        return Optional.of(s.getValue());
    }

    Optional<String> text(Pattern pattern, String rule) {
        return text().filter(t -> {
            boolean matches = pattern.matcher(t).matches();
            if (!matches) {
                report("'" + t + "' is not " + rule);
            }
            return matches;
        });
    }

    Optional<Integer> integer(int min, int max) {
        return longInteger(min, max).map(Long::intValue);
    }

    Optional<Long> longInteger(long min, long max) {
        return number(Tag.INT, "an integer").flatMap(text -> {
            String digits = text.replace("_", "");
            if (!DECIMAL_INTEGER.matcher(digits).matches()) {
                report("write integers in decimal digits, found " + text);
                return Optional.empty();
            }
            BigInteger value = new BigInteger(digits);
            if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
                report("is " + text + "; " + rangeText(min, max));
                return Optional.empty();
            }
            return Optional.of(value.longValue());
        });
    }

    private static String rangeText(long min, long max) {
        if (max == Integer.MAX_VALUE || max == Long.MAX_VALUE) {
            return "must be at least " + min;
        }
        return "must be between " + min + " and " + max;
    }

    /** Any finite number, such as a coordinate; the floor plan decides its range. */
    Optional<Double> decimal() {
        return number(Tag.FLOAT, "a number").flatMap(text -> {
            double value;
            try {
                value = Double.parseDouble(text.replace("_", ""));
            } catch (NumberFormatException e) {
                value = Double.NaN;
            }
            if (!Double.isFinite(value)) {
                report("expected a finite number, found " + text);
                return Optional.empty();
            }
            return Optional.of(value);
        });
    }

    Optional<Double> positiveDecimal(double max) {
        return decimal().filter(value -> {
            boolean inRange = value > 0 && value <= max;
            if (!inRange) {
                report("is " + value + "; must be greater than 0 and at most " + max);
            }
            return inRange;
        });
    }

    /**
     * The scalar's text when YAML reads it as a number. A quoted "8080" is text and reported: a number written as
     * text usually means the file was generated wrongly.
     *
     * @param accepted {@link Tag#INT} for integers only, {@link Tag#FLOAT} for integers or decimals
     */
    private Optional<String> number(Tag accepted, String what) {
        if (!(node instanceof ScalarNode s) || isNull()) {
            report("expected " + what);
            return Optional.empty();
        }
        Tag tag = s.getTag();
        boolean ok = tag.equals(Tag.INT) || (accepted.equals(Tag.FLOAT) && tag.equals(Tag.FLOAT));
        if (!ok) {
            String found = tag.equals(Tag.FLOAT) ? "a decimal number " + s.getValue() : "'" + s.getValue() + "'";
            report("expected " + what + ", found " + found);
            return Optional.empty();
        }
        return Optional.of(s.getValue());
    }

    /** @param max null for no upper bound */
    Optional<Duration> duration(Duration min, Duration max) {
        if (!(node instanceof ScalarNode s) || isNull()) {
            report("expected a duration: " + DurationText.ACCEPTED_FORMS);
            return Optional.empty();
        }
        Optional<Duration> parsed = DurationText.parse(s.getValue());
        if (parsed.isEmpty()) {
            report("'" + s.getValue() + "' is not a duration; write " + DurationText.ACCEPTED_FORMS);
            return Optional.empty();
        }
        Duration value = parsed.get();
        if (value.compareTo(min) < 0 || (max != null && value.compareTo(max) > 0)) {
            report("is " + s.getValue() + "; must be "
                    + (max == null
                            ? "at least " + DurationText.format(min)
                            : "between " + DurationText.format(min) + " and " + DurationText.format(max)));
            return Optional.empty();
        }
        return Optional.of(value);
    }

    /** A size on disk such as 64MB, between {@code min} and {@code max} bytes. */
    Optional<Long> byteSize(long min, long max) {
        if (!(node instanceof ScalarNode s) || isNull()) {
            report("expected a size: " + ByteSizeText.ACCEPTED_FORMS);
            return Optional.empty();
        }
        Optional<Long> parsed = ByteSizeText.parse(s.getValue());
        if (parsed.isEmpty()) {
            report("'" + s.getValue() + "' is not a size; write " + ByteSizeText.ACCEPTED_FORMS);
            return Optional.empty();
        }
        long value = parsed.get();
        if (value < min || value > max) {
            report("is " + s.getValue() + "; must be between " + ByteSizeText.format(min) + " and "
                    + ByteSizeText.format(max));
            return Optional.empty();
        }
        return parsed;
    }

    /** An enum constant spelled in lower case with dashes: FITTING_ROOM is written fitting-room. */
    <E extends Enum<E>> Optional<E> choice(Class<E> type) {
        return text().flatMap(t -> {
            for (E constant : type.getEnumConstants()) {
                if (yamlName(constant).equals(t)) {
                    return Optional.of(constant);
                }
            }
            report("'" + t + "' is not one of: " + Arrays.stream(type.getEnumConstants())
                    .map(NodeCursor::yamlName).collect(Collectors.joining(", ")));
            return Optional.empty();
        });
    }

    static String yamlName(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** A point written [x, y], metres. */
    Optional<Point> point() {
        if (!(node instanceof SequenceNode s) || s.getValue().size() != 2) {
            report("expected a point [x, y] in metres");
            return Optional.empty();
        }
        return allOf(NodeCursor::decimal).map(xy -> new Point(xy.get(0), xy.get(1)));
    }

    /** True for [] and for a field left empty: a list with nothing in it. */
    boolean isEmptyList() {
        return isNull() || (node instanceof SequenceNode s && s.getValue().isEmpty());
    }

    private boolean isNull() {
        return node instanceof ScalarNode && node.getTag().equals(Tag.NULL);
    }
}
