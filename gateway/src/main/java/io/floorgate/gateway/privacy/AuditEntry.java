package io.floorgate.gateway.privacy;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Locale;
import java.util.Optional;

import io.floorgate.config.StaffRole;
import io.floorgate.gateway.linking.CustomerHash;
import io.floorgate.gateway.store.Rows;
import io.floorgate.gateway.store.StoreWrite;

/**
 * One row of the append-only audit log: who did what to whose data, when. The subject is the customer's keyed hash,
 * never the reference; empty when the action concerned no customer (an order or session without a reference, the
 * audit log itself).
 *
 * @param detail what was acted on, for people: an order id, the rows an erasure removed; never shopper data
 */
public record AuditEntry(long atMs, String staffId, StaffRole role, AuditAction action, Optional<CustomerHash> subject,
                         String detail) implements StoreWrite {

    /** The column's width; a longer detail is cut, it is only for people. */
    static final int MAX_DETAIL_LENGTH = 256;
    private static final String SQL = "INSERT INTO audit_log (at, staff_id, role, action, subject, detail)"
            + " VALUES (?, ?, ?, ?, ?, ?)";

    @Override
    public String sql() {
        return SQL;
    }

    @Override
    public void bind(PreparedStatement st) throws SQLException {
        st.setObject(1, Rows.utc(atMs));
        st.setString(2, staffId);
        st.setString(3, role.name().toLowerCase(Locale.ROOT));
        st.setString(4, action.label());
        Rows.setNullable(st, 5, subject.map(CustomerHash::bytes).orElse(null), Types.BINARY);
        st.setString(6, detail.length() > MAX_DETAIL_LENGTH ? detail.substring(0, MAX_DETAIL_LENGTH) : detail);
    }
}
