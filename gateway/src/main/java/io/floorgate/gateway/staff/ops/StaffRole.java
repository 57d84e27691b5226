package io.floorgate.gateway.staff.ops;

/** What a staff member may see and do on the ops page; each role may do everything the ones before it may. */
public enum StaffRole {
    /** The floor, device health, the pickup queue and alerts. */
    ASSOCIATE,
    /** Also the day's analytics. */
    MANAGER,
    /** Also device commands and the configuration. */
    ADMIN;

    public boolean atLeast(StaffRole required) {
        return compareTo(required) >= 0;
    }
}
