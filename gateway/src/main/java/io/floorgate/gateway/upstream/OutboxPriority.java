package io.floorgate.gateway.upstream;

/**
 * The outbox's two classes. Live events are sent before any summary waiting with them, and at a bound summaries are
 * dropped first: a live event is never dropped while a summary is kept.
 */
public enum OutboxPriority {
    EVENT(0),
    SUMMARY(1);

    private final int column;

    OutboxPriority(int column) {
        this.column = column;
    }

    /** The value of {@code upstream_outbox.priority}; lower drains first. */
    public int column() {
        return column;
    }
}
