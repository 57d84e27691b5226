package io.floorgate.gateway.privacy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

import io.floorgate.gateway.linking.CustomerHash;
import io.floorgate.gateway.staff.StaffSession;
import io.floorgate.gateway.store.Database;
import io.floorgate.gateway.store.GroupCommitter;
import io.floorgate.gateway.store.Rows;
import io.floorgate.gateway.store.StoreRefused;
import io.floorgate.gateway.store.StoreWrite;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The audit log of staff actions on shoppers' data ({@code audit_log}): written through the group committer before
 * the action is done, so no action happens unrecorded; read back for an admin's export. Append-only: nothing here
 * updates or deletes a row; the retention sweeper alone removes rows older than {@code retention.audit}.
 *
 * <p>Threads: {@link #entry} and {@link #record} from event loops, never blocking; {@link #export} blocks (worker).
 */
public final class AuditLog {

    /** Rows one export answers at most; a longer range is read in several, from the last {@code at} answered. */
    public static final int MAX_EXPORT_ROWS = 10_000;
    private static final String SELECT = "SELECT at, staff_id, role, action, subject, detail FROM audit_log"
            + " WHERE at >= ? AND at < ? ORDER BY at, id LIMIT ?";

    private final GroupCommitter committer;
    private final Database database;
    private final LongSupplier clockMs;

    public AuditLog(GroupCommitter committer, Database database, LongSupplier clockMs) {
        this.committer = committer;
        this.database = database;
        this.clockMs = clockMs;
    }

    /** An entry for {@code staff} doing {@code action} now. */
    public AuditEntry entry(StaffSession staff, AuditAction action, Optional<CustomerHash> subject, String detail) {
        return new AuditEntry(clockMs.getAsLong(), staff.accountId(), staff.role(), action, subject, detail);
    }

    /** Completes on the caller's context once the entry is committed; fails with {@link PrivacyRefused} otherwise. */
    public Future<Void> record(AuditEntry entry) {
        return commit(List.of(entry), committer, Vertx.currentContext());
    }

    /** Commits writes together, completing on {@code context}; shared with the erasure. */
    static Future<Void> commit(List<StoreWrite> writes, GroupCommitter committer, Context context) {
        return committer.commit(writes, context).recover(failure -> Future.failedFuture(StoreRefused.of(failure)
                .<Throwable>map(refused -> refused.busy()
                        ? new PrivacyRefused(PrivacyRefused.Reason.STORAGE_BUSY, refused.getMessage())
                        : new PrivacyRefused(PrivacyRefused.Reason.STORAGE_FAILED,
                                "could not be stored: " + refused.getMessage()))
                .orElse(failure)));
    }

    /**
     * The entries at or after {@code from} and before {@code to}, oldest first, at most {@link #MAX_EXPORT_ROWS};
     * {@code truncated} says there are more. Blocking.
     */
    public JsonObject export(Instant from, Instant to) throws SQLException {
        JsonArray entries = new JsonArray();
        boolean truncated = false;
        try (Connection c = database.connect(); PreparedStatement st = c.prepareStatement(SELECT)) {
            st.setObject(1, Rows.utc(from.toEpochMilli()));
            st.setObject(2, Rows.utc(to.toEpochMilli()));
            st.setInt(3, MAX_EXPORT_ROWS + 1);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    if (entries.size() == MAX_EXPORT_ROWS) {
                        truncated = true;
                        break;
                    }
                    byte[] subject = rs.getBytes(5);
                    JsonObject entry = new JsonObject()
                            .put("at", rs.getObject(1, OffsetDateTime.class).toInstant().toString())
                            .put("staffId", rs.getString(2)).put("role", rs.getString(3))
                            .put("action", rs.getString(4)).put("detail", rs.getString(6));
                    if (subject != null) {
                        entry.put("subject", HexFormat.of().formatHex(subject));
                    }
                    entries.add(entry);
                }
            }
        }
        return new JsonObject().put("from", from.toString()).put("to", to.toString()).put("entries", entries)
                .put("truncated", truncated);
    }
}
