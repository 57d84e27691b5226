package io.floorgate.gateway.linking;

/** Why a session ended, as written to {@code shopper_session.end_reason}. */
public enum EndReason {
    CHECKED_OUT("checked_out"),
    EXPIRED("expired");

    private final String column;

    EndReason(String column) {
        this.column = column;
    }

    public String column() {
        return column;
    }
}
