package io.floorgate.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.yaml.snakeyaml.error.Mark;

/** The problems found in one configuration file, collected in one pass so the user can fix them all at once. */
final class Problems {

    /** The field name used for problems that concern the whole file rather than one field. */
    static final String WHOLE_FILE = "(file)";

    private final Path file;
    private final SourceMap sourceMap;
    private final List<ConfigProblem> problems = new ArrayList<>();

    Problems(Path file, SourceMap sourceMap) {
        this.file = file;
        this.sourceMap = sourceMap;
    }

    Path file() {
        return file;
    }

    SourceMap sourceMap() {
        return sourceMap;
    }

    /** @param field the field's path; the empty path of the document's root is the whole file */
    void report(Mark mark, String field, String message) {
        problems.add(new ConfigProblem(file, mark.getLine() + 1, mark.getColumn() + 1,
                field.isEmpty() ? WHOLE_FILE : field, message));
    }

    /** A problem with a field read earlier; located through the {@link SourceMap}. */
    void report(String field, String message) {
        sourceMap.markOf(field).ifPresentOrElse(
                mark -> report(mark, field, message),
                () -> reportWholeFile(message));
    }

    void reportWholeFile(String message) {
        problems.add(new ConfigProblem(file, 0, 0, WHOLE_FILE, message));
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    /** In the order of the file, so that reading the list top to bottom walks the file top to bottom. */
    List<ConfigProblem> asList() {
        return problems.stream()
                .sorted(Comparator.comparingInt(ConfigProblem::line).thenComparingInt(ConfigProblem::column))
                .toList();
    }
}
