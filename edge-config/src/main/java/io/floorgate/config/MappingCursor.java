package io.floorgate.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * The fields of one YAML mapping. Unknown and repeated keys are reported when the mapping is opened: a misspelt
 * optional field would otherwise be ignored in silence and its default used instead.
 */
final class MappingCursor {

    private final String path;
    private final Problems problems;
    private final Map<String, NodeCursor> fields = new LinkedHashMap<>();

    MappingCursor(String path, List<NodeTuple> tuples, List<String> knownKeys, Problems problems) {
        this.path = path;
        this.problems = problems;
        Map<String, Integer> lineOfKey = new LinkedHashMap<>();
        for (NodeTuple tuple : tuples) {
            Node keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof ScalarNode key)) {
                problems.report(keyNode.getStartMark(), path, "a field name must be plain text");
                continue;
            }
            String name = key.getValue();
            String fieldPath = pathOf(name);
            if (!knownKeys.contains(name)) {
                problems.report(keyNode.getStartMark(), fieldPath,
                        "unknown field '" + name + "'; expected one of: " + String.join(", ", knownKeys));
            } else if (lineOfKey.containsKey(name)) {
                problems.report(keyNode.getStartMark(), fieldPath,
                        "appears twice; first at line " + lineOfKey.get(name));
            } else {
                lineOfKey.put(name, keyNode.getStartMark().getLine() + 1);
                fields.put(name, new NodeCursor(tuple.getValueNode(), fieldPath, problems));
            }
        }
    }

    String path() {
        return path;
    }

    String pathOf(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** A problem with one of this mapping's fields, located at the field or, when absent, at the mapping. */
    void report(String key, String message) {
        problems.report(pathOf(key), message);
    }

    boolean has(String key) {
        return fields.containsKey(key);
    }

    Optional<NodeCursor> optional(String key) {
        return Optional.ofNullable(fields.get(key));
    }

    /** Reports the field as missing, where its mapping starts, when it is absent. */
    Optional<NodeCursor> required(String key) {
        NodeCursor field = fields.get(key);
        if (field == null) {
            report(key, "is required");
        }
        return Optional.ofNullable(field);
    }

    /** The field's value, or null when it is missing (reported) or wrong (reported). */
    <T> T required(String key, Function<NodeCursor, Optional<T>> read) {
        return required(key).flatMap(read).orElse(null);
    }

    /** The field's value, the default when it is absent, or null when it is wrong (reported). */
    <T> T value(String key, Function<NodeCursor, Optional<T>> read, T defaultValue) {
        NodeCursor field = fields.get(key);
        return field == null ? defaultValue : read.apply(field).orElse(null);
    }

    /**
     * A nested section that may be left out. Absent, it reads as an empty mapping so that every default applies;
     * empty when it is there but not a mapping (reported).
     */
    Optional<MappingCursor> section(String key, List<String> knownKeys) {
        NodeCursor field = fields.get(key);
        if (field == null) {
            return Optional.of(new MappingCursor(pathOf(key), List.of(), knownKeys, problems));
        }
        return field.mapping(knownKeys);
    }
}
