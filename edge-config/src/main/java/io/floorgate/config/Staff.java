package io.floorgate.config;

import java.util.List;
import java.util.Optional;

/**
 * The store's staff accounts ({@code staff:}) and how their logins behave ({@code staffSessions:}).
 *
 * @param accounts ids unique; none means nobody can log in to the ops page
 * @param sessions session expiry and the failed-login limit
 */
public record Staff(List<StaffAccount> accounts, StaffSessionPolicy sessions) {

    /** No accounts, default session settings: a store configuration built in code without staff. */
    public static final Staff NONE = new Staff(List.of(), StaffSessionPolicy.DEFAULT);

    public Staff {
        accounts = List.copyOf(accounts);
    }

    public Optional<StaffAccount> account(String id) {
        return accounts.stream().filter(a -> a.id().equals(id)).findFirst();
    }
}
