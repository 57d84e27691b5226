package io.floorgate.gateway.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import com.hivemq.embedded.EmbeddedHiveMQ;

/**
 * The chain's broker for upstream tests: HiveMQ CE embedded, MQTT 3.1.1 and 5, on a loopback port, with its data
 * in a temporary folder. Heavy to start: one per test class. Outages are cut between it and the gateway
 * ({@link UplinkCut}), or the broker itself is stopped and started again on its port ({@link #stop},
 * {@link #restart}); a broker started {@link #persistent} keeps its sessions and their queued messages across that,
 * as a production broker does.
 */
public final class UpstreamBroker implements AutoCloseable {

    private final Path folder;
    private final int port;
    private EmbeddedHiveMQ hivemq;

    private UpstreamBroker(Path folder, int port) {
        this.folder = folder;
        this.port = port;
    }

    public static UpstreamBroker start(Path folder) throws IOException {
        return start(folder, "in-memory");
    }

    /** Sessions, subscriptions and queued messages on disk: they outlive {@link #stop} and {@link #restart}. */
    public static UpstreamBroker persistent(Path folder) throws IOException {
        return start(folder, "file");
    }

    private static UpstreamBroker start(Path folder, String persistence) throws IOException {
        int port = freePort();
        Files.createDirectories(folder.resolve("conf"));
        Files.writeString(folder.resolve("conf").resolve("config.xml"), """
                <?xml version="1.0"?>
                <hivemq>
                  <listeners>
                    <tcp-listener>
                      <port>%d</port>
                      <bind-address>127.0.0.1</bind-address>
                    </tcp-listener>
                  </listeners>
                  <persistence>
                    <mode>%s</mode>
                  </persistence>
                  <anonymous-usage-statistics>
                    <enabled>false</enabled>
                  </anonymous-usage-statistics>
                </hivemq>
                """.formatted(port, persistence));
        Files.createDirectories(folder.resolve("data"));
        Files.createDirectories(folder.resolve("extensions"));
        UpstreamBroker broker = new UpstreamBroker(folder, port);
        broker.launch();
        return broker;
    }

    /** A port that was free a moment ago: HiveMQ's configuration takes a fixed port. */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    private void launch() {
        hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(folder.resolve("conf"))
                .withDataFolder(folder.resolve("data"))
                .withExtensionsFolder(folder.resolve("extensions"))
                .withoutLoggingBootstrap()
                .build();
        hivemq.start().join();
    }

    /** Stops the broker: every client's connection drops, and the port refuses connections until {@link #restart}. */
    public void stop() throws Exception {
        hivemq.stop().join();
        hivemq.close();
        hivemq = null;
    }

    /** Starts the broker again on the same port, from the same folders. */
    public void restart() {
        launch();
    }

    @Override
    public void close() throws Exception {
        if (hivemq != null) {
            stop();
        }
    }
}
