package io.floorgate.gateway.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Binding helpers shared by the {@link StoreWrite} records. */
public final class Rows {

    private Rows() {
    }

    /** Timestamps are stored WITH TIME ZONE, in UTC. */
    public static OffsetDateTime utc(long epochMs) {
        return OffsetDateTime.ofInstant(Instant.ofEpochMilli(epochMs), ZoneOffset.UTC);
    }

    public static void setNullable(PreparedStatement st, int index, Object value, int sqlType) throws SQLException {
        if (value == null) {
            st.setNull(index, sqlType);
        } else {
            st.setObject(index, value, sqlType);
        }
    }

    public static void setNullableTime(PreparedStatement st, int index, Long epochMs) throws SQLException {
        if (epochMs == null) {
            st.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            st.setObject(index, utc(epochMs));
        }
    }
}
