package io.floorgate.config;

import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads a secret written either in the file ({@code secret:}) or as the name of an environment variable that holds
 * it ({@code secretEnv:}). Messages name the field or the variable, never the secret.
 */
final class SecretReader {

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    private final Function<String, String> env;

    /** @param env environment lookup, null for an unset variable; injectable so tests need no real environment */
    SecretReader(Function<String, String> env) {
        this.env = env;
    }

    static boolean isGiven(MappingCursor m, String plainKey, String envKey) {
        return m.has(plainKey) || m.has(envKey);
    }

    /** The secret, or empty when it is missing, given twice, too short or its variable unset (all reported). */
    Optional<String> read(MappingCursor m, String plainKey, String envKey, int minLength) {
        if (m.has(plainKey) && m.has(envKey)) {
            m.optional(envKey).orElseThrow()
                    .report(plainKey + " and " + envKey + " are both set; give exactly one of them");
            return Optional.empty();
        }
        if (m.has(plainKey)) {
            NodeCursor field = m.optional(plainKey).orElseThrow();
            return field.text().filter(secret -> longEnough(field, secret, "is", minLength));
        }
        if (!m.has(envKey)) {
            m.report(plainKey, "is required: give " + plainKey + ", or " + envKey
                    + " with the name of an environment variable that holds it");
            return Optional.empty();
        }
        NodeCursor field = m.optional(envKey).orElseThrow();
        return field.text(ENV_NAME, "the name of an environment variable").flatMap(name -> {
            String secret = env.apply(name);
            if (secret == null) {
                field.report("environment variable " + name + " is not set");
                return Optional.empty();
            }
            return Optional.of(secret)
                    .filter(s -> longEnough(field, s, "environment variable " + name + " holds", minLength));
        });
    }

    private static boolean longEnough(NodeCursor field, String secret, String what, int minLength) {
        if (secret.length() < minLength) {
            field.report(what + " " + secret.length() + " characters; a secret needs at least " + minLength);
            return false;
        }
        return true;
    }
}
