package io.floorgate.gateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.stream.Stream;

import io.floorgate.gateway.store.Database;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbox's reads in drain order must walk the drain index and stop at their limit: a plan that sorts instead
 * reads a class's whole backlog for every batch, which turns a drain quadratic (no timing here: H2's plan says it).
 */
class OutboxTableTest {

    @TempDir
    Path dir;

    static Stream<String> readsInDrainOrder() {
        return Stream.of(OutboxTable.NEXT_OF_CLASS, OutboxTable.OLDEST_OF_CLASS, OutboxTable.OLDEST_OF_CLASS_BEFORE);
    }

    @ParameterizedTest
    @MethodSource("readsInDrainOrder")
    void aReadInDrainOrder_isServedByTheDrainIndexInItsOrder(String query) throws Exception {
        try (Database database = Database.open(dir); Connection connection = database.connect();
             Statement st = connection.createStatement()) {
            String withValues = query.replaceFirst("priority = \\?", "priority = 1").replaceFirst("seq > \\?", "seq > 5")
                    .replaceFirst("seq <= \\?", "seq <= 9000").replaceFirst("at < \\?", "at < CURRENT_TIMESTAMP")
                    .replaceFirst("LIMIT \\?", "LIMIT 500");
            try (ResultSet plan = st.executeQuery("EXPLAIN " + withValues)) {
                plan.next();
                assertThat(plan.getString(1)).contains("UPSTREAM_OUTBOX_DRAIN").contains("/* index sorted */");
            }
        }
    }
}
