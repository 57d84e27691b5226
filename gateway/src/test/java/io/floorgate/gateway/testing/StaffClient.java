package io.floorgate.gateway.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import javax.net.SocketFactory;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import io.vertx.core.json.JsonObject;

/**
 * A browser's side of staff login, over real sockets: HTTP/1.1 written by hand, so that the client can connect from
 * a chosen loopback address (the lockout counts per address; {@code java.net.http} cannot pick one on Java 17) and
 * over TLS. Keeps the {@code fg_staff} cookie the gateway sets, as a browser would, and sends it back.
 */
public final class StaffClient {

    /** One answer: status, headers by lower-case name (all values), body. */
    public record Answer(int status, Map<String, List<String>> headers, String body) {

        public Optional<String> header(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of()).stream().findFirst();
        }

        public JsonObject json() {
            return new JsonObject(body);
        }
    }

    private final int port;
    private final InetAddress from;
    private final SocketFactory sockets;
    private String cookie;

    private StaffClient(int port, InetAddress from, SocketFactory sockets) {
        this.port = port;
        this.from = from;
        this.sockets = sockets;
    }

    /** Plain HTTP from {@code fromAddress} (127.0.0.1, 127.0.0.2, ...). */
    public static StaffClient from(RunningGateway gateway, String fromAddress) {
        return over(gateway, fromAddress, SocketFactory.getDefault());
    }

    /** From {@code fromAddress} with these sockets: an {@code SSLSocketFactory} for HTTPS. */
    public static StaffClient over(RunningGateway gateway, String fromAddress, SocketFactory sockets) {
        try {
            return new StaffClient(gateway.gateway().httpPort(), InetAddress.getByName(fromAddress), sockets);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public Answer login(String id, String password) {
        return send("POST", "/api/v1/staff/login", new JsonObject().put("id", id).put("password", password).encode(),
                null);
    }

    /** The session cookie as the gateway last set it ({@code fg_staff=...}), or null. */
    public String cookie() {
        return cookie;
    }

    /** Presents this cookie from now on ({@code fg_staff=...}), as a browser that kept it would. */
    public void setCookie(String fgStaffCookie) {
        cookie = fgStaffCookie;
    }

    public Answer get(String path) {
        return send("GET", path, null, null);
    }

    /** A state change with, unless null, the CSRF token. */
    public Answer post(String path, String csrfToken) {
        return send("POST", path, null, csrfToken);
    }

    public Answer send(String method, String path, String jsonBody, String csrfToken) {
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(port).append("\r\nConnection: close\r\n");
        if (cookie != null) {
            head.append("Cookie: ").append(cookie).append("\r\n");
        }
        if (csrfToken != null) {
            head.append("X-CSRF-Token: ").append(csrfToken).append("\r\n");
        }
        byte[] body = jsonBody == null ? new byte[0] : jsonBody.getBytes(StandardCharsets.UTF_8);
        if (jsonBody != null) {
            head.append("Content-Type: application/json\r\n");
        }
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        try (Socket socket = sockets.createSocket(InetAddress.getLoopbackAddress(), port, from, 0)) {
            if (socket instanceof SSLSocket tls) {
                SSLParameters parameters = tls.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                tls.setSSLParameters(parameters);
            }
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            return keepCookie(parse(socket.getInputStream().readAllBytes()));
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        }
    }

    private Answer keepCookie(Answer answer) {
        answer.headers().getOrDefault("set-cookie", List.of()).stream()
                .filter(c -> c.startsWith("fg_staff="))
                .forEach(c -> cookie = c.contains("Max-Age=0") ? null : c.split(";", 2)[0]);
        return answer;
    }

    /** Connection: close, so the answer is everything up to the end of the stream. */
    private static Answer parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.1 ") || end < 0) {
            throw new IllegalStateException("not an HTTP/1.1 answer: " + raw.length + " bytes");
        }
        String[] lines = text.substring(0, end).split("\r\n");
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String[] nameValue = lines[i].split(":", 2);
            headers.computeIfAbsent(nameValue[0].strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(nameValue[1].strip());
        }
        return new Answer(Integer.parseInt(lines[0].split(" ")[1]), headers, text.substring(end + 4));
    }
}
