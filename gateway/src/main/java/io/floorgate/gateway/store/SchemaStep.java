package io.floorgate.gateway.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * What a migration needs besides its script: Java around the script of {@link #version()}, on the migrating
 * connection, for data changes SQL cannot make, such as hashing stored values with a key that must never appear in a
 * statement. The step reads what it needs, runs the script, and writes what it computed. Runs once, like its script;
 * without the step (a test's bare database) the script alone leaves the schema complete.
 */
public interface SchemaStep {

    int version();

    void migrate(Connection connection, Script script) throws SQLException;

    /** The version's script, to be run exactly once by the step. */
    @FunctionalInterface
    interface Script {
        void run() throws SQLException;
    }
}
