package io.floorgate.config;

/**
 * What a staff account may do on the ops page and its API; each role includes the ones before it. YAML spells them
 * in lower case ({@code associate}).
 */
public enum StaffRole {
    /** The floor map and the pickup queue, and the hand-offs and "coming" replies that go with it. */
    ASSOCIATE,
    /** Also the analytics: traffic, dwell, pickup waits, feedback. */
    MANAGER,
    /** Also the devices (identify, reboot) and the configuration. */
    ADMIN;

    /** True when this role may do everything {@code other} may: an admin includes a manager, not the reverse. */
    public boolean includes(StaffRole other) {
        return compareTo(other) >= 0;
    }
}
