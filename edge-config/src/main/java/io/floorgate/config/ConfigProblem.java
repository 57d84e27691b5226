package io.floorgate.config;

import java.nio.file.Path;

/**
 * One thing wrong with a configuration file.
 *
 * @param file    the file
 * @param line    1-based line of the offending node, 0 when the whole file is concerned
 * @param column  1-based column, 0 when unknown
 * @param field   the field's path, for example devices[3].secret
 * @param message what is wrong and what is expected
 */
public record ConfigProblem(Path file, int line, int column, String field, String message) {

    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + field + ": " + message;
    }
}
