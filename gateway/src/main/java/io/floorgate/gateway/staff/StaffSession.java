package io.floorgate.gateway.staff;

import io.floorgate.config.StaffRole;

/**
 * A staff member logged in, as a request sees it.
 *
 * @param id           the session id, the {@code fg_staff} cookie's value: 256 random bits, Base64url
 * @param accountId    who logged in
 * @param role         the account's role in the configuration in force now (a reload may have changed it)
 * @param csrfToken    the value state-changing requests must repeat in the {@code X-CSRF-Token} header
 * @param loggedInAtMs when the login succeeded, epoch ms
 * @param lastUsedAtMs the last request that used the session, epoch ms
 */
public record StaffSession(String id, String accountId, StaffRole role, String csrfToken, long loggedInAtMs,
                           long lastUsedAtMs) {

    /** Never print the session id or the CSRF token: either lets its reader act as this staff member. */
    @Override
    public String toString() {
        return "StaffSession[accountId=" + accountId + ", role=" + role + ", loggedInAtMs=" + loggedInAtMs
                + ", lastUsedAtMs=" + lastUsedAtMs + "]";
    }
}
