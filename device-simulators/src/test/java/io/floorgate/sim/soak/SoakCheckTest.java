package io.floorgate.sim.soak;

import static org.assertj.core.api.Assertions.assertThat;

import io.floorgate.gateway.store.Database;
import io.floorgate.sim.GatewayDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** soak-check against a database with the gateway's own schema, made by the gateway's {@link Database}. */
class SoakCheckTest {

    @TempDir
    Path dir;

    private String url;

    @BeforeEach
    void createGatewayDatabase() throws Exception {
        Path data = dir.resolve("data");
        try (Database db = Database.open(data); Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO device_event VALUES ('nfc-1', 7, 1, 'nfc_tap', CURRENT_TIMESTAMP,"
                    + " CURRENT_TIMESTAMP, X'00')");
            st.execute("INSERT INTO shopper_session (id, token_hash, advertising_key, rotation_period_ms, app_instance,"
                    + " consent_location, consent_analytics, started_at, last_active_at) VALUES ('s1', X'"
                    + "00".repeat(32) + "', X'" + "00".repeat(32) + "', 60000, 'app', TRUE, TRUE, CURRENT_TIMESTAMP,"
                    + " CURRENT_TIMESTAMP)");
            try (PreparedStatement step = c.prepareStatement(
                    "INSERT INTO pickup_step VALUES (?, ?, CURRENT_TIMESTAMP, 'app')")) {
                for (String s : new String[] {"READY", "ON_THE_WAY", "ON_THE_WAY"}) {
                    step.setString(1, "o1");
                    step.setString(2, s);
                    step.executeUpdate();
                }
            }
        }
        url = "jdbc:h2:file:" + data.toAbsolutePath().resolve("floorgate") + ";IFEXISTS=TRUE";
    }

    @Test
    void check_whenEveryAcknowledgedWriteIsStored_thenNothingIsLostAndARepeatedOnMyWayIsNoDuplicate() throws Exception {
        SoakCheck.Result result = SoakCheck.check(url, Set.of(new Acknowledged.Event("nfc-1", 7, 1),
                new Acknowledged.Session("s1"), new Acknowledged.Step("o1", "READY"),
                new Acknowledged.Step("o1", "ON_THE_WAY")));

        assertThat(result.line()).isEqualTo("acknowledged=4 events=1 sessions=1 steps=2 lost=0 duplicates=0");
    }

    @Test
    void check_whenAcknowledgedWritesAreMissing_thenEachIsCountedLostAndShown() throws Exception {
        SoakCheck.Result result = SoakCheck.check(url, Set.of(new Acknowledged.Event("nfc-1", 7, 2),
                new Acknowledged.Session("s2"), new Acknowledged.Step("o1", "ARRIVED")));

        assertThat(result.lostCount()).isEqualTo(3);
        assertThat(result.lost()).containsExactlyInAnyOrder("event nfc-1 7 2", "session s2", "step o1 ARRIVED");
    }

    @Test
    void check_whenAStepTakenOnceIsStoredTwice_thenItIsADuplicate() throws Exception {
        try (Connection c = java.sql.DriverManager.getConnection(url, GatewayDatabase.USER, "");
             Statement st = c.createStatement()) {
            st.execute("INSERT INTO pickup_step VALUES ('o1', 'READY', CURRENT_TIMESTAMP, 'system')");
        }

        SoakCheck.Result result = SoakCheck.check(url, Set.of(new Acknowledged.Step("o1", "READY")));

        assertThat(result.duplicateCount()).isEqualTo(1);
        assertThat(result.duplicates()).containsExactly("pickup_step o1 READY x2");
    }

    @Test
    void read_whenTheLastLineIsStillBeingWritten_thenItIsLeftForTheNextRead() throws Exception {
        Path journal = dir.resolve("journal");
        Files.writeString(journal, "event nfc-1 7 1\nsession s1\nstep o1 REA");

        assertThat(SoakJournal.read(journal)).containsExactly(new Acknowledged.Event("nfc-1", 7, 1),
                new Acknowledged.Session("s1"));
    }
}
