package io.floorgate.sim;

import java.nio.file.Path;

/**
 * Where and how the gateway keeps its H2 database in its data directory (gateway store/Database), for the tools that
 * read or fill a stopped or killed gateway's data directory, or a copy of it.
 */
public final class GatewayDatabase {

    public static final String USER = "floorgate";
    private static final String NAME = "floorgate";

    private GatewayDatabase() {
    }

    public static Path file(Path dataDir) {
        return dataDir.resolve(NAME + ".mv.db");
    }

    /** Its JDBC address, {@code IFEXISTS}: a missing file is an error, never an empty database made on the spot. */
    public static String jdbcUrl(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve(NAME) + ";IFEXISTS=TRUE";
    }
}
