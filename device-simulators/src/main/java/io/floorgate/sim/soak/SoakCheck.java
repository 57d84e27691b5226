package io.floorgate.sim.soak;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.floorgate.sim.GatewayDatabase;

/**
 * Checks a gateway's database against the soak journal: every acknowledged write is there, and no row is there
 * twice. Reads a stopped gateway's H2 file (or a copy of it) with the gateway's own JDBC URL and user; H2 recovers
 * a file left by a killed process as the gateway would at its next start.
 *
 * <p>Duplicates are counted where a row can only be once: device events and session touches by their key, sessions
 * by id, orders by id, and the pickup steps an order takes once (READY, ARRIVED, HANDED_OFF). ON_THE_WAY may repeat:
 * a second "on my way" updates the ETA and is stored as a step of its own (gateway pickup/PickupStage).
 */
final class SoakCheck {

    /** Lost or duplicate keys printed, at most: enough to start looking. */
    static final int SHOWN = 10;

    private static final String[] DUPLICATE_QUERIES = {
        "SELECT 'device_event ' || device_id || ' ' || boot_id || ' ' || seq, COUNT(*) FROM device_event"
                + " GROUP BY device_id, boot_id, seq HAVING COUNT(*) > 1",
        "SELECT 'session_touch ' || device_id || ' ' || boot_id || ' ' || seq, COUNT(*) FROM session_touch"
                + " GROUP BY device_id, boot_id, seq HAVING COUNT(*) > 1",
        "SELECT 'shopper_session ' || id, COUNT(*) FROM shopper_session GROUP BY id HAVING COUNT(*) > 1",
        "SELECT 'pickup_order ' || order_id, COUNT(*) FROM pickup_order GROUP BY order_id HAVING COUNT(*) > 1",
        "SELECT 'pickup_step ' || order_id || ' ' || step, COUNT(*) FROM pickup_step WHERE step <> 'ON_THE_WAY'"
                + " GROUP BY order_id, step HAVING COUNT(*) > 1",
    };

    /**
     * @param lost       acknowledged writes the database does not hold, the first {@link #SHOWN}
     * @param duplicates rows held more than once, as "table key", the first {@link #SHOWN}
     */
    record Result(int events, int sessions, int steps, long lostCount, List<String> lost, long duplicateCount,
                  List<String> duplicates) {

        int checked() {
            return events + sessions + steps;
        }

        String line() {
            return "acknowledged=" + checked() + " events=" + events + " sessions=" + sessions + " steps=" + steps
                    + " lost=" + lostCount + " duplicates=" + duplicateCount;
        }
    }

    private SoakCheck() {
    }

    static Result check(String jdbcUrl, Set<Acknowledged> acknowledged) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, GatewayDatabase.USER, ""); Statement st = c.createStatement()) {
            Set<Acknowledged> stored = new HashSet<>();
            try (ResultSet rs = st.executeQuery("SELECT device_id, boot_id, seq FROM device_event")) {
                while (rs.next()) {
                    stored.add(new Acknowledged.Event(rs.getString(1), rs.getLong(2), rs.getLong(3)));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT id FROM shopper_session")) {
                while (rs.next()) {
                    stored.add(new Acknowledged.Session(rs.getString(1)));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT order_id, step FROM pickup_step")) {
                while (rs.next()) {
                    stored.add(new Acknowledged.Step(rs.getString(1), rs.getString(2)));
                }
            }
            int events = 0;
            int sessions = 0;
            int steps = 0;
            long lostCount = 0;
            List<String> lost = new ArrayList<>();
            for (Acknowledged write : acknowledged) {
                if (write instanceof Acknowledged.Event) {
                    events++;
                } else if (write instanceof Acknowledged.Session) {
                    sessions++;
                } else {
                    steps++;
                }
                if (!stored.contains(write)) {
                    lostCount++;
                    if (lost.size() < SHOWN) {
                        lost.add(write.line());
                    }
                }
            }
            long duplicateCount = 0;
            List<String> duplicates = new ArrayList<>();
            for (String query : DUPLICATE_QUERIES) {
                try (ResultSet rs = st.executeQuery(query)) {
                    while (rs.next()) {
                        duplicateCount += rs.getLong(2) - 1;
                        if (duplicates.size() < SHOWN) {
                            duplicates.add(rs.getString(1) + " x" + rs.getLong(2));
                        }
                    }
                }
            }
            return new Result(events, sessions, steps, lostCount, lost, duplicateCount, duplicates);
        }
    }
}
