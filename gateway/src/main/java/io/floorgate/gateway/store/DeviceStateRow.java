package io.floorgate.gateway.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;

/**
 * A device's health as last heard. Null fields leave the stored value as it was, so a connect or
 * disconnect does not erase the battery level the last heartbeat reported.
 */
public record DeviceStateRow(String deviceId, boolean online, long lastSeenMs, Long bootId, Integer batteryPct,
                             String firmware, Long uptimeS, Integer wifiRssiDbm) implements StoreWrite {

    private static final String MERGE = "MERGE INTO device_state t USING (VALUES (CAST(? AS VARCHAR(64)),"
            + " CAST(? AS BOOLEAN), CAST(? AS TIMESTAMP WITH TIME ZONE), CAST(? AS BIGINT), CAST(? AS INT),"
            + " CAST(? AS VARCHAR(32)), CAST(? AS BIGINT), CAST(? AS INT)))"
            + " s (device_id, online, last_seen, boot_id, battery_pct, firmware, uptime_s, wifi_rssi_dbm)"
            + " ON t.device_id = s.device_id"
            + " WHEN MATCHED THEN UPDATE SET online = s.online, last_seen = s.last_seen,"
            + " boot_id = COALESCE(s.boot_id, t.boot_id), battery_pct = COALESCE(s.battery_pct, t.battery_pct),"
            + " firmware = COALESCE(s.firmware, t.firmware), uptime_s = COALESCE(s.uptime_s, t.uptime_s),"
            + " wifi_rssi_dbm = COALESCE(s.wifi_rssi_dbm, t.wifi_rssi_dbm), updated_at = CURRENT_TIMESTAMP"
            + " WHEN NOT MATCHED THEN INSERT (device_id, online, last_seen, boot_id, battery_pct, firmware, uptime_s,"
            + " wifi_rssi_dbm, updated_at) VALUES (s.device_id, s.online, s.last_seen, s.boot_id, s.battery_pct,"
            + " s.firmware, s.uptime_s, s.wifi_rssi_dbm, CURRENT_TIMESTAMP)";

    public static DeviceStateRow presence(String deviceId, boolean online, long lastSeenMs) {
        return new DeviceStateRow(deviceId, online, lastSeenMs, null, null, null, null, null);
    }

    @Override
    public String sql() {
        return MERGE;
    }

    @Override
    public void bind(PreparedStatement st) throws SQLException {
        st.setString(1, deviceId);
        st.setBoolean(2, online);
        st.setObject(3, Rows.utc(lastSeenMs));
        Rows.setNullable(st, 4, bootId, Types.BIGINT);
        Rows.setNullable(st, 5, batteryPct, Types.INTEGER);
        Rows.setNullable(st, 6, firmware, Types.VARCHAR);
        Rows.setNullable(st, 7, uptimeS, Types.BIGINT);
        Rows.setNullable(st, 8, wifiRssiDbm, Types.INTEGER);
    }
}
