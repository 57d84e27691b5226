package io.floorgate.gateway.staff;

/** What a request shows of a staff login, as {@link StaffRequests#check} finds it. */
public sealed interface StaffCheck {

    /** A valid session, and for a state change the matching CSRF token: the request acts as this member of staff. */
    record SignedIn(StaffSession session) implements StaffCheck {
    }

    /** No {@code fg_staff} cookie, or one that names no valid session (logged out, expired, account removed). */
    record NotSignedIn() implements StaffCheck {
    }

    /** A valid session, but a state change without the session's {@code X-CSRF-Token}. */
    record CsrfTokenMissing() implements StaffCheck {
    }

    /** A valid session, but a WebSocket opened from a page of another origin. */
    record ForeignOrigin(String origin) implements StaffCheck {
    }
}
