package io.floorgate.gateway.staff.ops;

/** A logged-in staff member as the ops page sees them. */
public record StaffMember(String id, StaffRole role) {
}
