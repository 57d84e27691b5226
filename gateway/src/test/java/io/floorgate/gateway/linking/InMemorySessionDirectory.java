package io.floorgate.gateway.linking;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Sessions held in memory only, told to listeners on the caller's thread. Stands in for the session
 * registry of the API (issue 3, part 1) until it is merged, and serves as the directory in tests.
 *
 * <p>Thread-safe: any thread may start or end sessions.
 */
public final class InMemorySessionDirectory implements SessionDirectory {

    private final Map<String, ShopperSession> sessions = new ConcurrentHashMap<>();
    private final List<SessionListener> listeners = new CopyOnWriteArrayList<>();

    public void start(ShopperSession session) {
        sessions.put(session.id(), session);
        listeners.forEach(l -> l.started(session));
    }

    public void end(String sessionId) {
        if (sessions.remove(sessionId) != null) {
            listeners.forEach(l -> l.ended(sessionId));
        }
    }

    @Override
    public Collection<ShopperSession> active() {
        return List.copyOf(sessions.values());
    }

    @Override
    public Optional<ShopperSession> find(String sessionId) {
        return Optional.ofNullable(sessions.get(sessionId));
    }

    @Override
    public void subscribe(SessionListener listener) {
        listeners.add(listener);
    }
}
