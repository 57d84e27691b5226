package io.floorgate.sim.score;

import io.floorgate.sim.play.AppCheckIns;
import io.floorgate.sim.play.AppSession;
import io.floorgate.sim.score.LocationPoll.Outcome;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Asks the gateway once a second where every checked-in shopper is, as their apps would, and
 * keeps each answer with the time it arrived. Runs on its own scheduler thread and the HTTP
 * client's threads; the answers are read once polling has stopped.
 */
public final class LocationPoller implements AutoCloseable {

    public static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final int OK = 200;
    private static final int FORBIDDEN = 403;
    private static final int NOT_FOUND = 404;
    private static final String LOCATION_UNKNOWN = "location_unknown";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final URI api;
    private final AppCheckIns checkIns;
    private final Queue<LocationPoll> polls = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "score-location-poller");
        t.setDaemon(true);
        return t;
    });

    public LocationPoller(URI api, AppCheckIns checkIns) {
        this.api = api;
        this.checkIns = checkIns;
    }

    public void start() {
        scheduler.scheduleAtFixedRate(this::pollEveryone, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The answers so far. */
    public List<LocationPoll> polls() {
        return List.copyOf(polls);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }

    private void pollEveryone() {
        for (AppSession session : checkIns.openSessions()) {
            HttpRequest request = HttpRequest.newBuilder(
                            api.resolve(AppCheckIns.SESSIONS_PATH + "/" + session.sessionId() + "/location"))
                    .timeout(TIMEOUT).header("Authorization", "Bearer " + session.token()).GET().build();
            http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
                // a shopper who checked out while asked has simply left; the answer says nothing of the gateway
                if (checkIns.isOpen(session.shopperId())) {
                    polls.add(failure != null
                            ? LocationPoll.of(System.currentTimeMillis(), session.shopperId(),
                                    session.locationConsent(), Outcome.FAILED)
                            : answer(session, response));
                }
            });
        }
    }

    private static LocationPoll answer(AppSession session, HttpResponse<String> response) {
        long now = System.currentTimeMillis();
        String shopper = session.shopperId();
        boolean consent = session.locationConsent();
        if (response.statusCode() == OK) {
            return new LocationPoll(now, shopper, consent, Outcome.LOCATED,
                    Optional.of(new JsonObject(response.body()).getString("zoneId")));
        }
        if (response.statusCode() == FORBIDDEN) {
            return LocationPoll.of(now, shopper, consent, Outcome.REFUSED);
        }
        if (response.statusCode() == NOT_FOUND && LOCATION_UNKNOWN.equals(errorCode(response.body()))) {
            return LocationPoll.of(now, shopper, consent, Outcome.UNKNOWN);
        }
        return LocationPoll.of(now, shopper, consent, Outcome.FAILED);
    }

    private static String errorCode(String body) {
        try {
            return new JsonObject(body).getString("error");
        } catch (RuntimeException notJson) {
            return "";
        }
    }
}
