package io.floorgate.config;

/**
 * A store staff member who may log in to the ops page.
 *
 * @param id           the login name; [a-z0-9._-]{1,64}, unique in the store
 * @param role         what the account may do
 * @param passwordHash the password, as a slow salted hash
 */
public record StaffAccount(String id, StaffRole role, PasswordHash passwordHash) {
}
