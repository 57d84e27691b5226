package io.floorgate.gateway.linking;

/** The outcome of presenting a bearer token for a session. */
public sealed interface Authentication {

    /** The token is the session's; the session counts as active now. */
    record Granted(ShopperSession session) implements Authentication {
    }

    /** No open session has this id: never opened, checked out or expired (the three look the same). */
    record UnknownSession() implements Authentication {
    }

    /** The session is open but the token is not its own. */
    record WrongToken() implements Authentication {
    }
}
