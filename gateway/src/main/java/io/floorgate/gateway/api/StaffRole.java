package io.floorgate.gateway.api;

/**
 * What a member of staff may do (DESIGN, "Staff → gateway"). Each role may do everything the ones before it may:
 * an associate sees the floor and the pickup queue, a manager also the analytics, an admin also devices and the
 * configuration.
 */
public enum StaffRole {
    ASSOCIATE, MANAGER, ADMIN;

    /** True when this role may do what {@code needed} may. */
    public boolean includes(StaffRole needed) {
        return compareTo(needed) >= 0;
    }
}
