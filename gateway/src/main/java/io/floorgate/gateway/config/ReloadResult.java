package io.floorgate.gateway.config;

import java.util.List;
import java.util.Locale;

/**
 * What one reload of the store file did.
 *
 * @param problems why it was refused, one line each naming file, line and field; empty unless refused
 */
public record ReloadResult(Outcome outcome, List<String> problems) {

    public enum Outcome {
        /** The file differed from the configuration in force, was valid, and is in force now. */
        APPLIED,
        /** The file did not load; the configuration in force stays. */
        REFUSED,
        /** The file says what is already in force; nothing was applied. */
        UNCHANGED;

        /** The {@code result} label of {@code floorgate_config_reloads_total}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ReloadResult {
        problems = List.copyOf(problems);
    }

    static ReloadResult applied() {
        return new ReloadResult(Outcome.APPLIED, List.of());
    }

    static ReloadResult unchanged() {
        return new ReloadResult(Outcome.UNCHANGED, List.of());
    }

    public static ReloadResult refused(List<String> problems) {
        return new ReloadResult(Outcome.REFUSED, problems);
    }
}
