package io.floorgate.gateway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The store's uplink as a TCP relay between the gateway and the chain's broker, which the test can cut: open
 * connections are reset and new ones refused until it is restored, as when the store's WAN goes down. The broker
 * and the chain's subscriber stay up meanwhile (an embedded HiveMQ cannot be restarted in place, and a new one
 * takes seconds to start).
 */
public final class UplinkCut implements AutoCloseable {

    private final ServerSocket server;
    private final int brokerPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;

    private UplinkCut(ServerSocket server, int brokerPort) {
        this.server = server;
        this.brokerPort = brokerPort;
    }

    /** Relays 127.0.0.1:(a free port) to the broker's loopback port. */
    public static UplinkCut to(String brokerUri) throws IOException {
        int brokerPort = Integer.parseInt(brokerUri.substring(brokerUri.lastIndexOf(':') + 1));
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        UplinkCut relay = new UplinkCut(server, brokerPort);
        Thread acceptor = new Thread(relay::accept, "uplink-relay-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return relay;
    }

    /** The URI the gateway is given as its brokerUri. */
    public String uri() {
        return "tcp://127.0.0.1:" + server.getLocalPort();
    }

    /** Resets every relayed connection and refuses new ones. */
    public void cut() {
        cut = true;
        open.forEach(UplinkCut::closeQuietly);
        open.clear();
    }

    public void restore() {
        cut = false;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket gateway = server.accept();
                if (cut) {
                    closeQuietly(gateway);
                    continue;
                }
                Socket broker = new Socket();
                broker.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), brokerPort));
                open.add(gateway);
                open.add(broker);
                pump(gateway, broker);
                pump(broker, gateway);
            } catch (IOException e) {
                // The server socket closed (the test is over) or the broker refused: the gateway sees a failed
                // connection and tries again.
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread pump = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // Cut, or closed by either side.
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "uplink-relay-pump");
        pump.setDaemon(true);
        pump.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing is all that is wanted.
        }
    }

    @Override
    public void close() throws IOException {
        cut();
        server.close();
    }
}
