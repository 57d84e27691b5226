package io.floorgate.gateway.upstream;

import java.sql.PreparedStatement;
import java.sql.SQLException;

import io.floorgate.gateway.store.Rows;
import io.floorgate.gateway.store.StoreWrite;
import io.floorgate.proto.v1.StoreSummary;
import io.floorgate.proto.v1.UpstreamEvent;

/**
 * A message for the upstream, as a row of {@code upstream_outbox}. Offer it to the group committer together with
 * the rows it reports (a pickup step and its event commit in one transaction); the database gives it its seq.
 *
 * @param atMs a summary's window end or the event's time, epoch milliseconds
 * @param body the serialized {@link StoreSummary} or {@link UpstreamEvent}, as {@code priority} says
 */
public record OutboxEntry(OutboxPriority priority, long atMs, byte[] body) implements StoreWrite {

    private static final String INSERT = "INSERT INTO upstream_outbox (priority, at, body) VALUES (?, ?, ?)";

    public static OutboxEntry event(UpstreamEvent event, long atMs) {
        return new OutboxEntry(OutboxPriority.EVENT, atMs, event.toByteArray());
    }

    public static OutboxEntry summary(StoreSummary summary) {
        return new OutboxEntry(OutboxPriority.SUMMARY, summary.getWindowEndMs(), summary.toByteArray());
    }

    @Override
    public String sql() {
        return INSERT;
    }

    @Override
    public void bind(PreparedStatement st) throws SQLException {
        st.setInt(1, priority.column());
        st.setObject(2, Rows.utc(atMs));
        st.setBytes(3, body);
    }
}
