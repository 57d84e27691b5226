package io.floorgate.gateway.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import io.floorgate.gateway.store.Database;
import io.floorgate.gateway.upstream.Pseudonyms;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local customer key: created once, checked against the database at start, and the V7 hashing of old rows. */
class CustomerKeysTest {

    private static final Pseudonyms UPSTREAM = new Pseudonyms("store-upstream-key-0123456789");

    @TempDir
    Path dir;

    @Test
    void migration_whenADatabaseHeldClearReferences_thenHashesThemKeepsOpenSessionsPseudonymsAndDropsTheColumns()
            throws Exception {
        databaseAtVersion6WithClearReferences();
        CustomerKeys keys = new CustomerKeys(dir, UPSTREAM);

        try (Database db = Database.open(dir, List.of(keys.migration()))) {
            keys.verify(db);
            try (Connection c = db.connect(); Statement st = c.createStatement()) {
                assertThat(bytes(st, "SELECT customer_hash FROM shopper_session WHERE id = 'open'"))
                        .isEqualTo(keys.hash("anna-ref").bytes());
                assertThat(bytes(st, "SELECT customer_pseudonym FROM shopper_session WHERE id = 'open'"))
                        .isEqualTo(UPSTREAM.customer("anna-ref").toByteArray());
                assertThat(bytes(st, "SELECT customer_hash FROM shopper_session WHERE id = 'ended'"))
                        .isEqualTo(keys.hash("anna-ref").bytes());
                assertThat(bytes(st, "SELECT customer_pseudonym FROM shopper_session WHERE id = 'ended'"))
                        .as("an ended session needs no pseudonym").isNull();
                assertThat(bytes(st, "SELECT customer_hash FROM pickup_order WHERE order_id = 'o-1'"))
                        .isEqualTo(keys.hash("anna-ref").bytes());
                try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.COLUMNS"
                        + " WHERE LOWER(COLUMN_NAME) = 'customer_ref'")) {
                    rs.next();
                    assertThat(rs.getInt(1)).as("no clear column is left").isZero();
                }
            }
        }
        assertThat(Files.size(dir.resolve(CustomerKeys.KEY_FILE))).isEqualTo(32);
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(CustomerKeys.KEY_FILE))))
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void verify_whenTheKeyFileIsMissing_thenRefusesAndMakesNoNewKey() throws Exception {
        try (Database db = Database.open(dir, List.of(new CustomerKeys(dir, UPSTREAM).migration()))) {
            Files.delete(dir.resolve(CustomerKeys.KEY_FILE));

            assertThatThrownBy(() -> new CustomerKeys(dir, UPSTREAM).verify(db))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("is missing")
                    .hasMessageContaining("Restore the key file");
        }
        assertThat(dir.resolve(CustomerKeys.KEY_FILE)).doesNotExist();
    }

    @Test
    void verify_whenTheKeyFileIsAnotherKey_thenRefuses() throws Exception {
        try (Database db = Database.open(dir, List.of(new CustomerKeys(dir, UPSTREAM).migration()))) {
            Files.write(dir.resolve(CustomerKeys.KEY_FILE), new byte[32]);

            assertThatThrownBy(() -> new CustomerKeys(dir, UPSTREAM).verify(db))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("is not the one");
        }
    }

    @Test
    void verify_whenTheDatabaseWasMigratedWithoutTheStep_thenAdoptsTheKeyAndChecksItFromThenOn() throws Exception {
        try (Database db = Database.open(dir)) {
            new CustomerKeys(dir, UPSTREAM).verify(db);
            new CustomerKeys(dir, UPSTREAM).verify(db);
            Files.write(dir.resolve(CustomerKeys.KEY_FILE), new byte[32]);

            assertThatThrownBy(() -> new CustomerKeys(dir, UPSTREAM).verify(db))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("is not the one");
        }
    }

    @Test
    void hash_whenTheSameKeyIsLoadedAgain_thenIsTheSameAndDiffersFromTheUpstreamPseudonym() throws Exception {
        try (Database db = Database.open(dir, List.of(new CustomerKeys(dir, UPSTREAM).migration()))) {
            CustomerKeys again = new CustomerKeys(dir, UPSTREAM);
            again.verify(db);
            CustomerKeys first = new CustomerKeys(dir, UPSTREAM);
            first.load();

            assertThat(again.hash("anna-ref")).isEqualTo(first.hash("anna-ref"));
            assertThat(again.hash("anna-ref").value()).as("stored hashes never join with what the chain holds")
                    .isNotEqualTo(UPSTREAM.customer("anna-ref"));
            assertThat(again.customer("anna-ref").pseudonym()).isEqualTo(UPSTREAM.customer("anna-ref"));
        }
    }

    /** The shipped scripts V1..V6 run by hand, then rows as a gateway before V7 stored them. */
    private void databaseAtVersion6WithClearReferences() throws Exception {
        String url = "jdbc:h2:file:" + dir.toAbsolutePath().resolve("floorgate");
        try (Connection c = DriverManager.getConnection(url, "floorgate", ""); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE schema_version (version INT PRIMARY KEY, script VARCHAR(200) NOT NULL,"
                    + " applied_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL)");
            List<String> scripts = List.of("V1__device_events_and_state.sql", "V2__sessions.sql", "V3__zone_visits.sql",
                    "V4__orders.sql", "V5__session_touches.sql", "V6__upstream_outbox.sql");
            for (int i = 0; i < scripts.size(); i++) {
                for (String sql : statements(scripts.get(i))) {
                    st.execute(sql);
                }
                st.execute("INSERT INTO schema_version (version, script) VALUES (" + (i + 1) + ", '" + scripts.get(i)
                        + "')");
            }
            for (String session : List.of("'open', X'01', NULL, NULL", "'ended', X'02', CURRENT_TIMESTAMP, 'expired'")) {
                String[] v = session.split(", ");
                st.execute("INSERT INTO shopper_session (id, token_hash, advertising_key, rotation_period_ms,"
                        + " app_instance, customer_ref, consent_location, consent_analytics, started_at, last_active_at,"
                        + " ended_at, end_reason) VALUES (" + v[0] + ", " + v[1] + ", X'00', 60000, 'app',"
                        + " 'anna-ref', TRUE, TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, " + v[2] + ", " + v[3] + ")");
            }
            st.execute("INSERT INTO pickup_order (order_id, customer_ref, pickup_point_id, code, state, ready_at)"
                    + " VALUES ('o-1', 'anna-ref', 'counter-1', 'code-1', 'READY', CURRENT_TIMESTAMP)");
            st.execute("SHUTDOWN");
        }
    }

    private static List<String> statements(String script) throws Exception {
        try (InputStream in = Database.class.getResourceAsStream("/db/" + script)) {
            StringBuilder text = new StringBuilder();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.strip().startsWith("--")) {
                    text.append(line).append('\n');
                }
            }
            List<String> statements = new ArrayList<>();
            for (String sql : text.toString().split(";")) {
                if (!sql.isBlank()) {
                    statements.add(sql.strip());
                }
            }
            return statements;
        }
    }

    private static byte[] bytes(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getBytes(1);
        }
    }
}
