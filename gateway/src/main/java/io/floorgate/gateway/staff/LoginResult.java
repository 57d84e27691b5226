package io.floorgate.gateway.staff;

import java.time.Duration;

/** How a login attempt ended; the HTTP answer is decided from this alone. */
public sealed interface LoginResult {

    /** The password was right: a new session. */
    record LoggedIn(StaffSession session) implements LoginResult {
    }

    /** A wrong password or an id that names no account: the caller cannot tell which. */
    record Refused() implements LoginResult {
    }

    /** The account id or the client address is locked; the password was not checked. */
    record Locked(Duration retryAfter) implements LoginResult {
    }

    /** Too many password checks are waiting for the login workers; try again shortly. */
    record Busy() implements LoginResult {
    }
}
