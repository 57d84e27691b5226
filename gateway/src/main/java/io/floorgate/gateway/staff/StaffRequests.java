package io.floorgate.gateway.staff;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import io.floorgate.gateway.secrets.Secrets;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;

/**
 * How a request carries a staff login, and the one place that reads it: the {@code fg_staff} session cookie and,
 * on state changes, the {@code X-CSRF-Token} header.
 *
 * <p>The cookie is {@code HttpOnly} (no script reads it, so a script injected into a page cannot carry it away),
 * {@code SameSite=Strict} (a browser sends it on no request that another site starts, links included),
 * {@code Path=/}, and {@code Secure} when the HTTP listener speaks TLS. It has no {@code Max-Age}: the browser drops
 * it when it closes, and the gateway ends the session on its own timeouts either way.
 *
 * <p>CSRF: a request with any method other than GET, HEAD or OPTIONS must repeat the session's CSRF token (returned
 * by login and by {@code GET /api/v1/staff/me}) in {@code X-CSRF-Token}, beside SameSite=Strict: a browser too old
 * for SameSite still cannot set that header across sites. A WebSocket upgrade is a GET, so instead its
 * {@code Origin}, when the browser sends one, must be this server's own (scheme aside): browsers cannot set headers
 * on a WebSocket, which is also why the stream takes the cookie.
 *
 * <p>Threads: event loops; sessions are in memory.
 */
public final class StaffRequests {

    public static final String COOKIE = "fg_staff";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    private static final int HTTP_PORT = 80;
    private static final int HTTPS_PORT = 443;
    private static final Set<HttpMethod> SAFE_METHODS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    private final StaffSessions sessions;
    private final boolean secure;

    /** @param secure the HTTP listener speaks TLS: cookies are marked Secure */
    public StaffRequests(StaffSessions sessions, boolean secure) {
        this.sessions = sessions;
        this.secure = secure;
    }

    /** The staff login the request carries; a request that passes counts as a use of its session. */
    public StaffCheck check(HttpServerRequest request) {
        Optional<String> id = sessionId(request);
        Optional<StaffSession> session = id.flatMap(sessions::check);
        if (session.isEmpty()) {
            return new StaffCheck.NotSignedIn();
        }
        if (isWebSocketUpgrade(request)) {
            String origin = request.getHeader(HttpHeaders.ORIGIN);
            if (origin != null && !sameOrigin(origin, request)) {
                return new StaffCheck.ForeignOrigin(origin);
            }
        } else if (!SAFE_METHODS.contains(request.method())
                && !Secrets.matches(request.getHeader(CSRF_HEADER), session.get().csrfToken())) {
            return new StaffCheck.CsrfTokenMissing();
        }
        return sessions.use(id.get()).<StaffCheck>map(StaffCheck.SignedIn::new).orElseGet(StaffCheck.NotSignedIn::new);
    }

    /** The session id in the request's cookie, whether or not it is valid. */
    public static Optional<String> sessionId(HttpServerRequest request) {
        return Optional.ofNullable(request.getCookie(COOKIE)).map(Cookie::getValue).filter(v -> !v.isEmpty());
    }

    /** The cookie a login sets. */
    public Cookie cookie(StaffSession session) {
        return base(session.id());
    }

    /** The cookie a logout sets: empty and already expired, so the browser deletes it. */
    public Cookie clearedCookie() {
        return base("").setMaxAge(0);
    }

    private Cookie base(String value) {
        return Cookie.cookie(COOKIE, value).setPath("/").setHttpOnly(true).setSameSite(CookieSameSite.STRICT)
                .setSecure(secure);
    }

    private static boolean isWebSocketUpgrade(HttpServerRequest request) {
        String upgrade = request.getHeader(HttpHeaders.UPGRADE);
        return upgrade != null && upgrade.toLowerCase(Locale.ROOT).equals("websocket");
    }

    /**
     * The Origin's host and port against the Host the request was sent to, a port left out being its scheme's
     * default; a malformed Origin (or the "null" of a sandboxed page) is foreign.
     */
    private static boolean sameOrigin(String origin, HttpServerRequest request) {
        HostAndPort authority = request.authority();
        if (authority == null) {
            return false;
        }
        try {
            URI uri = new URI(origin);
            if (uri.getHost() == null || uri.getScheme() == null) {
                return false;
            }
            int originPort = uri.getPort() >= 0 ? uri.getPort() : defaultPort(uri.getScheme().equals("https"));
            int requestPort = authority.port() >= 0 ? authority.port() : defaultPort(request.isSSL());
            return uri.getHost().equalsIgnoreCase(authority.host()) && originPort == requestPort;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static int defaultPort(boolean tls) {
        return tls ? HTTPS_PORT : HTTP_PORT;
    }
}
