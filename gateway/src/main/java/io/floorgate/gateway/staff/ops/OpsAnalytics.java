package io.floorgate.gateway.staff.ops;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import com.google.protobuf.InvalidProtocolBufferException;
import io.floorgate.gateway.store.Database;
import io.floorgate.proto.v1.DeviceEvent;
import io.floorgate.proto.v1.KioskInteraction;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The manager's view of the day, computed from what H2 holds since local midnight: traffic by hour (shoppers first
 * seen in a zone that hour), dwell by zone, the pickup wait distribution and kiosk feedback.
 *
 * <p>Threads: blocking (JDBC); called on a worker only. Each query aggregates in H2 where it can; feedback scores
 * live in the stored kiosk events' protobuf payloads, so those rows are read and folded one at a time.
 */
final class OpsAnalytics {

    /** Wait buckets of a minute each; the last also holds everything longer. */
    static final int WAIT_BUCKETS = 16;
    private static final long HOUR_MS = 3_600_000;
    private static final String KIOSK_EVENT_KIND = "kiosk_interaction";

    private final Database database;
    private final ZoneId zone;

    OpsAnalytics(Database database, ZoneId zone) {
        this.database = database;
        this.zone = zone;
    }

    /** Local midnight of the day {@code nowMs} falls in. */
    long dayStartMs(long nowMs) {
        return Instant.ofEpochMilli(nowMs).atZone(zone).toLocalDate().atStartOfDay(zone).toInstant().toEpochMilli();
    }

    /** {@code hours}: 24 counts of distinct shoppers who entered a zone in that local hour. */
    JsonObject traffic(long nowMs) throws SQLException {
        long start = dayStartMs(nowMs);
        long[] hours = new long[24];
        try (Connection c = database.connect();
             PreparedStatement st = c.prepareStatement("SELECT FLOOR((EXTRACT(EPOCH FROM entered_at) * 1000 - ?) / ?)"
                     + " AS h, COUNT(DISTINCT session_id) FROM zone_visit WHERE entered_at >= ? GROUP BY h")) {
            st.setLong(1, start);
            st.setLong(2, HOUR_MS);
            st.setTimestamp(3, new Timestamp(start));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    int h = rs.getInt(1);
                    if (h >= 0 && h < hours.length) {
                        hours[h] = rs.getLong(2);
                    }
                }
            }
        }
        JsonArray counts = new JsonArray();
        for (long n : hours) {
            counts.add(n);
        }
        return new JsonObject().put("dayStart", start).put("hours", counts);
    }

    /** Per zone: finished visits today, their mean and longest dwell in seconds. */
    JsonObject dwell(long nowMs) throws SQLException {
        JsonArray zones = new JsonArray();
        try (Connection c = database.connect();
             PreparedStatement st = c.prepareStatement("SELECT zone_id, COUNT(*), AVG(dwell_ms), MAX(dwell_ms)"
                     + " FROM zone_visit WHERE entered_at >= ? AND dwell_ms IS NOT NULL GROUP BY zone_id"
                     + " ORDER BY zone_id")) {
            st.setTimestamp(1, new Timestamp(dayStartMs(nowMs)));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    zones.add(new JsonObject().put("zone", rs.getString(1)).put("visits", rs.getLong(2))
                            .put("meanS", rs.getDouble(3) / 1000.0).put("maxS", rs.getLong(4) / 1000.0));
                }
            }
        }
        return new JsonObject().put("zones", zones);
    }

    /** Orders handed off today after an arrival, by whole minutes waited (the last bucket holds the rest). */
    JsonObject pickupWaits(long nowMs, long serviceLevelS) throws SQLException {
        long[] buckets = new long[WAIT_BUCKETS];
        try (Connection c = database.connect();
             PreparedStatement st = c.prepareStatement("SELECT LEAST(FLOOR(DATEDIFF('SECOND', arrived_at,"
                     + " handed_off_at) / 60), ?) AS b, COUNT(*) FROM pickup_order WHERE handed_off_at >= ?"
                     + " AND arrived_at IS NOT NULL GROUP BY b")) {
            st.setInt(1, WAIT_BUCKETS - 1);
            st.setTimestamp(2, new Timestamp(dayStartMs(nowMs)));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    buckets[Math.max(0, rs.getInt(1))] += rs.getLong(2);
                }
            }
        }
        JsonArray counts = new JsonArray();
        for (long n : buckets) {
            counts.add(n);
        }
        return new JsonObject().put("bucketMinutes", 1).put("counts", counts).put("serviceLevelS", serviceLevelS);
    }

    /** Kiosk feedback today: CSAT (% of 4 and 5), NPS (% 9-10 minus % 0-6), CES (mean), by hour and by kiosk. */
    JsonObject feedback(long nowMs) throws SQLException {
        long start = dayStartMs(nowMs);
        Map<Integer, Scores> byHour = new TreeMap<>();
        Map<String, Scores> byKiosk = new LinkedHashMap<>();
        try (Connection c = database.connect();
             PreparedStatement st = c.prepareStatement("SELECT device_id, received_at, payload FROM device_event"
                     + " WHERE kind = ? AND received_at >= ? ORDER BY received_at")) {
            st.setString(1, KIOSK_EVENT_KIND);
            st.setTimestamp(2, new Timestamp(start));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    KioskInteraction.Feedback f = feedbackOf(rs.getBytes(3));
                    if (f == null) {
                        continue;
                    }
                    int hour = (int) ((rs.getTimestamp(2).getTime() - start) / HOUR_MS);
                    byHour.computeIfAbsent(hour, h -> new Scores()).add(f);
                    byKiosk.computeIfAbsent(rs.getString(1), d -> new Scores()).add(f);
                }
            }
        }
        JsonArray hours = new JsonArray();
        byHour.forEach((h, s) -> hours.add(s.json().put("hour", h)));
        JsonArray kiosks = new JsonArray();
        byKiosk.forEach((d, s) -> kiosks.add(s.json().put("touchpoint", d)));
        return new JsonObject().put("dayStart", start).put("byHour", hours).put("byTouchpoint", kiosks);
    }

    private static KioskInteraction.Feedback feedbackOf(byte[] payload) {
        try {
            DeviceEvent event = DeviceEvent.parseFrom(payload);
            return event.getKioskInteraction().hasFeedback() ? event.getKioskInteraction().getFeedback() : null;
        } catch (InvalidProtocolBufferException e) {
            // Stored only after validation, so this is not expected; a row that cannot be read is not feedback.
            return null;
        }
    }

    /** Running sums of one group's answers; each score counts only where it was given. */
    private static final class Scores {
        long csatAnswers;
        long csatSatisfied;
        long npsAnswers;
        long promoters;
        long detractors;
        long cesAnswers;
        long cesSum;

        void add(KioskInteraction.Feedback f) {
            if (f.hasCsat()) {
                csatAnswers++;
                csatSatisfied += f.getCsat() >= 4 ? 1 : 0;
            }
            if (f.hasNps()) {
                npsAnswers++;
                promoters += f.getNps() >= 9 ? 1 : 0;
                detractors += f.getNps() <= 6 ? 1 : 0;
            }
            if (f.hasCes()) {
                cesAnswers++;
                cesSum += f.getCes();
            }
        }

        JsonObject json() {
            JsonObject o = new JsonObject().put("answers", Math.max(csatAnswers, Math.max(npsAnswers, cesAnswers)));
            if (csatAnswers > 0) {
                o.put("csat", 100.0 * csatSatisfied / csatAnswers);
            }
            if (npsAnswers > 0) {
                o.put("nps", 100.0 * (promoters - detractors) / npsAnswers);
            }
            if (cesAnswers > 0) {
                o.put("ces", (double) cesSum / cesAnswers);
            }
            return o;
        }
    }
}
