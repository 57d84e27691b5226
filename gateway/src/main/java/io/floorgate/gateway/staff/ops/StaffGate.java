package io.floorgate.gateway.staff.ops;

import java.util.Optional;

/**
 * Who holds a staff session cookie: what the ops page needs from staff login, asked on every API call and before
 * every stream message. Thread-safe and non-blocking (answered from memory).
 */
public interface StaffGate {

    /** The staff session cookie (HttpOnly, SameSite=Strict), set by the login. */
    String COOKIE = "fg_staff";
    /** The header that carries the session's CSRF token on every state change. */
    String CSRF_HEADER = "X-CSRF-Token";

    /** The member whose session {@code cookie} names, while that session is open (not logged out, not expired). */
    Optional<StaffMember> member(String cookie);

    /** Whether {@code csrfToken} is the CSRF token of the session {@code cookie} names. */
    boolean csrfMatches(String cookie, String csrfToken);
}
