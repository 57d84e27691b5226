package io.floorgate.gateway.testing;

import java.io.IOException;
import java.util.Locale;

import io.floorgate.config.ConfigException;
import io.floorgate.config.StaffAccount;
import io.floorgate.config.StoreConfigLoader;

/**
 * The demo store's three staff accounts, one per role, with their published passwords, as a {@code staff:} section
 * to append to a test store: hashing a password takes a third of a second, so tests reuse the demo's hashes.
 */
public final class StaffAccounts {

    public static final String ASSOCIATE = "associate";
    public static final String MANAGER = "manager";
    public static final String ADMIN = "admin";

    private StaffAccounts() {
    }

    /** The demo's password for one of its accounts. */
    public static String passwordOf(String id) {
        return "demo-only-" + id;
    }

    /** {@code staff:} with the demo's accounts, then {@code extra} (for example a staffSessions section). */
    public static String yaml(String extra) {
        StringBuilder yaml = new StringBuilder("staff:\n");
        try {
            for (StaffAccount account : StoreConfigLoader.loadDemo().staff().accounts()) {
                yaml.append("  - { id: ").append(account.id()).append(", role: ")
                        .append(account.role().name().toLowerCase(Locale.ROOT))
                        .append(", passwordHash: \"").append(account.passwordHash().encoded()).append("\" }\n");
            }
        } catch (ConfigException | IOException e) {
            throw new IllegalStateException(e);
        }
        return yaml.append(extra).toString();
    }
}
