package io.floorgate.gateway.privacy;

/** What a member of staff did that touched a shopper's data, as {@code audit_log.action} records it. */
public enum AuditAction {
    /** Confirmed a pickup hand-off: opened the order at the counter. */
    PICKUP_HANDOFF("pickup.handoff"),
    /** Told a waiting shopper they are on their way: opened the order. */
    PICKUP_COMING("pickup.coming"),
    /** Exported everything held about a customer reference. */
    CUSTOMER_EXPORT("customer.export"),
    /** Erased a customer reference's data. */
    CUSTOMER_ERASURE("customer.erasure"),
    /** Read the audit log itself. */
    AUDIT_EXPORT("audit.export");

    private final String label;

    AuditAction(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
