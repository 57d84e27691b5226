package io.floorgate.gateway.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import com.hivemq.embedded.EmbeddedHiveMQ;

/**
 * The chain's broker for upstream tests: HiveMQ CE embedded, MQTT 3.1.1 and 5, on a loopback port, with its data
 * in a temporary folder. Heavy to start: one per test class. Outages are cut between it and the gateway
 * ({@link UplinkCut}).
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
                    <mode>in-memory</mode>
                  </persistence>
                  <anonymous-usage-statistics>
                    <enabled>false</enabled>
                  </anonymous-usage-statistics>
                </hivemq>
                """.formatted(port));
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

    @Override
    public void close() throws Exception {
        hivemq.stop().join();
        hivemq.close();
    }
}
