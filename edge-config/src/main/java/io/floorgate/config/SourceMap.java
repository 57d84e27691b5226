package io.floorgate.config;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;

import org.yaml.snakeyaml.error.Mark;

/**
 * Where each field of a configuration file was found, so that rules checked after reading (cross-field rules in
 * {@link StoreConfigValidator}) can still name the line and the field path.
 */
final class SourceMap {

    private final Map<String, Mark> marksByPath = new HashMap<>();
    /** By identity: two zones written alike are still two places in the file. */
    private final Map<Object, String> pathsByElement = new IdentityHashMap<>();

    void remember(String path, Mark mark) {
        marksByPath.putIfAbsent(path, mark);
    }

    void rememberElement(Object element, String path) {
        pathsByElement.put(element, path);
    }

    /** The path an element of a list was read from, for example devices[3]. */
    String pathOf(Object element) {
        String path = pathsByElement.get(element);
        if (path == null) {
            throw new IllegalArgumentException("not read from the file: " + element);
        }
        return path;
    }

    /**
     * The mark of the field, or of its nearest enclosing field when the field itself is not in the file
     * (a missing required field is reported where its mapping starts).
     */
    Optional<Mark> markOf(String path) {
        for (String p = path; !p.isEmpty(); p = parentOf(p)) {
            Mark mark = marksByPath.get(p);
            if (mark != null) {
                return Optional.of(mark);
            }
        }
        return Optional.ofNullable(marksByPath.get(""));
    }

    private static String parentOf(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut < 0 ? "" : path.substring(0, cut);
    }
}
