package io.floorgate.gateway.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * A row a stage hands to the {@link GroupCommitter}: the statement it goes through and how to bind it.
 * Consecutive writes with the same statement are sent as one JDBC batch; the committer keeps their
 * order, so a later write to the same row always lands after an earlier one.
 */
public interface StoreWrite {

    /** The parameterized SQL this write is bound into. A constant per record type. */
    String sql();

    /** Sets this write's parameters on a statement prepared from {@link #sql()} or {@link #sqlOnKeyCollision()}. */
    void bind(PreparedStatement statement) throws SQLException;

    /**
     * The statement to write the batch with instead when it collides with a primary key (a replay that the
     * in-memory checks could not see), or null when a collision is an error.
     */
    default String sqlOnKeyCollision() {
        return null;
    }
}
