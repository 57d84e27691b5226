package io.floorgate.sim.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floorgate.gateway.store.Database;
import io.floorgate.proto.v1.StoreSummary;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxFillTest {

    @TempDir
    Path dataDir;

    @Test
    void bodies_areSummariesOfExactlyTheRequestedSize() throws Exception {
        for (int size : new int[] {40, 127, 128, 129, 200, 1000}) {
            BenchBodies bodies = new BenchBodies(size);
            assertThat(bodies.summary(1).getSerializedSize()).isEqualTo(size);
            assertThat(bodies.summary(1_000_000).getSerializedSize()).isEqualTo(size);
            assertThat(bodies.summary(2)).isNotEqualTo(bodies.summary(3));
        }
        assertThat(new BenchBodies(200).envelope("c", "s", 7).getSummary()).isEqualTo(new BenchBodies(200).summary(7));
        assertThatThrownBy(() -> new BenchBodies(3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fill_whenTheGatewayCreatedItsSchema_thenTheOutboxHoldsTheSummariesInSeqOrder() throws Exception {
        Database.open(dataDir).close();

        OutboxFill.Result result = OutboxFill.fill(dataDir, 2_500, 200);

        assertThat(result.messages()).isEqualTo(2_500);
        assertThat(result.fileBytesAfter()).isGreaterThan(result.fileBytesBefore());
        assertThat(result.fileBytesCompacted()).isGreaterThan(result.fileBytesBefore())
                .isLessThanOrEqualTo(result.fileBytesAfter());
        try (Database db = Database.open(dataDir); Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT seq, priority, body FROM upstream_outbox ORDER BY seq")) {
            long expected = 1;
            while (rs.next()) {
                assertThat(rs.getLong(1)).isEqualTo(expected);
                assertThat(rs.getInt(2)).isEqualTo(1);
                assertThat(StoreSummary.parseFrom(rs.getBytes(3))).isEqualTo(new BenchBodies(200).summary(expected));
                expected++;
            }
            assertThat(expected - 1).isEqualTo(2_500);
        }
    }

    @Test
    void fill_whenTheOutboxIsNotEmpty_thenRefusesSoTheBytesPerMessageStayTrue() throws Exception {
        Database.open(dataDir).close();
        OutboxFill.fill(dataDir, 10, 200);
        assertThatThrownBy(() -> OutboxFill.fill(dataDir, 10, 200)).hasMessageContaining("already holds 10 rows");
    }

    @Test
    void fill_whenNoGatewayDatabase_thenSaysToStartTheGatewayOnce() {
        assertThatThrownBy(() -> OutboxFill.fill(dataDir, 10, 200)).hasMessageContaining("start the gateway once");
    }
}
