package io.floorgate.sim.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.embedded.EmbeddedHiveMQ;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The consumer against a real broker (HiveMQ CE, in this JVM) with a Paho publisher playing what stores' gateways
 * send: envelopes in order, a resend of one already delivered, a gap the store reported dropped, a gap it did not,
 * a retained status and a payload that is not an UpstreamMessage.
 */
class UpstreamConsumerBrokerTest {

    private static final Duration BROKER_START = Duration.ofSeconds(60);
    private static final Duration DELIVERY = Duration.ofSeconds(20);

    @TempDir
    static Path brokerDir;

    private static EmbeddedHiveMQ broker;
    private static URI brokerUri;

    @TempDir
    Path work;

    @BeforeAll
    static void startBroker() throws Exception {
        int port = freePort();
        Path conf = Files.createDirectories(brokerDir.resolve("conf"));
        Files.writeString(conf.resolve("config.xml"), """
                <?xml version="1.0"?>
                <hivemq>
                  <listeners>
                    <tcp-listener><port>%d</port><bind-address>127.0.0.1</bind-address></tcp-listener>
                  </listeners>
                  <persistence><mode>in-memory</mode></persistence>
                  <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
                </hivemq>
                """.formatted(port));
        broker = EmbeddedHiveMQ.builder().withConfigurationFolder(conf)
                .withDataFolder(Files.createDirectories(brokerDir.resolve("data")))
                .withExtensionsFolder(Files.createDirectories(brokerDir.resolve("extensions")))
                // HiveMQ's own logging set-up expects logback; the simulator logs through slf4j-simple
                .withoutLoggingBootstrap().build();
        broker.start().get(BROKER_START.toSeconds(), TimeUnit.SECONDS);
        brokerUri = URI.create("tcp://127.0.0.1:" + port);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @ParameterizedTest
    @EnumSource(MqttProtocol.class)
    void consumer_whenStoresResendSkipAndReportDrops_thenCountsEachSeqOnceAndExplainsOnlyReportedGaps(
            MqttProtocol protocol) throws Exception {
        String chain = "chain-" + protocol.name().toLowerCase();
        Path jsonFile = work.resolve("received.jsonl");
        try (JsonLines json = JsonLines.create(jsonFile)) {
            UpstreamConsumer consumer = new UpstreamConsumer(chain, Optional.of(json), Clock.systemUTC());
            try (UpstreamSubscriber ignored = UpstreamSubscriber.connect(options(chain, protocol, "c-" + chain, true),
                    consumer); Publisher store = publisher(chain)) {
                await().atMost(DELIVERY).untilAsserted(() -> {
                    publish(store, chain, "s0", "status", "online".getBytes(StandardCharsets.UTF_8), true);
                    assertThat(consumer.rows()).extracting(StoreRow::storeId).contains("s0");
                });
                // s1: 1, 2, 3, 2 again, then 4..5 dropped at the store's bound and said so by event 6, then 7
                publish(store, chain, "s1", "status", "online".getBytes(StandardCharsets.UTF_8), true);
                summary(store, chain, "s1", 1);
                summary(store, chain, "s1", 2);
                summary(store, chain, "s1", 3);
                summary(store, chain, "s1", 2);
                publish(store, chain, "s1", "events", Envelopes.boundReached(chain, "s1", 6, 4, 5).toByteArray(), false);
                summary(store, chain, "s1", 7);
                // s2: 1, then 3 (2 never comes, nothing says why), 1 again, and a payload that is not an envelope
                summary(store, chain, "s2", 1);
                summary(store, chain, "s2", 3);
                summary(store, chain, "s2", 1);
                publish(store, chain, "s2", "events", "not protobuf at all".getBytes(StandardCharsets.UTF_8), false);

                await().atMost(DELIVERY).untilAsserted(() -> {
                    assertThat(consumer.invalidCount()).isEqualTo(1);
                    assertThat(consumer.rows()).extracting(StoreRow::storeId).containsExactly("s0", "s1", "s2");
                    StoreRow s1 = consumer.rows().get(1);
                    assertThat(s1.status()).isEqualTo("online");
                    assertThat(List.of(s1.summaries(), s1.events(), s1.duplicates())).containsExactly(4L, 1L, 1L);
                    assertThat(List.of(s1.lowestSeq(), s1.highestSeq(), s1.gaps(), s1.unexplainedGaps()))
                            .containsExactly(1L, 7L, 2L, 0L);
                    assertThat(s1.missing()).containsExactly("4..5");
                    assertThat(s1.lastWindowEndMs()).isEqualTo(7_000);
                    StoreRow s2 = consumer.rows().get(2);
                    assertThat(List.of(s2.summaries(), s2.duplicates(), s2.gaps(), s2.unexplainedGaps()))
                            .containsExactly(2L, 1L, 1L, 1L);
                    assertThat(s2.missing()).containsExactly("2");
                });
            }
        }
        List<JsonObject> lines = Files.readAllLines(jsonFile).stream().map(JsonObject::new).toList();
        List<JsonObject> s1Summaries = lines.stream()
                .filter(l -> l.getString("topic").equals("retail/" + chain + "/stores/s1/summaries")).toList();
        assertThat(s1Summaries).extracting(l -> l.getJsonObject("message").getString("seq"))
                .containsExactly("1", "2", "3", "2", "7");
        assertThat(s1Summaries).extracting(l -> l.getString("receipt"))
                .containsExactly("new", "new", "new", "duplicate", "new");
        JsonObject first = s1Summaries.get(0).getJsonObject("message");
        assertThat(first.getString("chainId")).isEqualTo(chain);
        assertThat(first.getString("storeId")).isEqualTo("s1");
        assertThat(first.getJsonObject("summary").getString("windowEndMs")).isEqualTo("1000");
        assertThat(lines).filteredOn(l -> "online".equals(l.getString("status")))
                .extracting(l -> l.getString("topic")).contains("retail/" + chain + "/stores/s1/status");
        JsonObject dropped = lines.stream().filter(l -> l.getString("topic").endsWith("/s1/events")).findFirst()
                .orElseThrow().getJsonObject("message").getJsonObject("event").getJsonObject("outboxBoundReached");
        assertThat(dropped.getString("firstDroppedSeq")).isEqualTo("4");
        assertThat(lines).filteredOn(l -> l.getString("topic").endsWith("/s2/events"))
                .singleElement().satisfies(l -> {
                    assertThat(l.getString("receipt")).isEqualTo("invalid");
                    assertThat(l.getString("error")).startsWith("not an UpstreamMessage");
                });
    }

    @ParameterizedTest
    @EnumSource(MqttProtocol.class)
    void consumer_whenAwayWithAPersistentSession_thenReceivesWhatWasPublishedMeanwhile(MqttProtocol protocol)
            throws Exception {
        String chain = "away-" + protocol.name().toLowerCase();
        UpstreamSubscriber.Options options = options(chain, protocol, "c-" + chain, false);
        UpstreamConsumer before = new UpstreamConsumer(chain, Optional.empty(), Clock.systemUTC());
        try (Publisher store = publisher(chain)) {
            try (UpstreamSubscriber ignored = UpstreamSubscriber.connect(options, before)) {
                await().atMost(DELIVERY).untilAsserted(() -> {
                    publish(store, chain, "probe", "status", "online".getBytes(StandardCharsets.UTF_8), false);
                    assertThat(before.rows()).isNotEmpty();
                });
            }
            summary(store, chain, "s1", 1);
            summary(store, chain, "s1", 2);
            UpstreamConsumer after = new UpstreamConsumer(chain, Optional.empty(), Clock.systemUTC());
            try (UpstreamSubscriber ignored = UpstreamSubscriber.connect(options, after)) {
                await().atMost(DELIVERY).untilAsserted(() -> assertThat(after.rows())
                        .filteredOn(r -> r.storeId().equals("s1")).singleElement()
                        .satisfies(r -> assertThat(r.summaries()).isEqualTo(2)));
            }
        }
    }

    @Test
    void filters_coverEveryStoresThreeTopicsOfOneChain() {
        assertThat(UpstreamTopic.filters("acme")).containsExactly("retail/acme/stores/+/summaries",
                "retail/acme/stores/+/events", "retail/acme/stores/+/status");
        assertThat(UpstreamTopic.parse("retail/acme/stores/s1/events"))
                .contains(new UpstreamTopic("acme", "s1", UpstreamTopic.Kind.EVENTS));
        assertThat(UpstreamTopic.parse("retail/acme/stores/s1/other")).isEmpty();
        assertThat(UpstreamTopic.parse("retail/acme/shops/s1/events")).isEmpty();
        assertThat(UpstreamTopic.parse("retail/acme/stores/s1/events/x")).isEmpty();
    }

    private static UpstreamSubscriber.Options options(String chain, MqttProtocol protocol, String clientId,
                                                      boolean clean) {
        return new UpstreamSubscriber.Options(brokerUri, protocol, clientId, clean, UpstreamTopic.filters(chain));
    }

    /** Plays the stores' gateways: one Paho client publishing at QoS 1. */
    private record Publisher(MqttClient client) implements AutoCloseable {
        @Override
        public void close() throws MqttException {
            client.disconnect();
            client.close();
        }
    }

    private static Publisher publisher(String chain) throws MqttException {
        MqttClient client = new MqttClient(brokerUri.toString(), "gateway-" + chain, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        client.connect(options);
        return new Publisher(client);
    }

    private static void summary(Publisher store, String chain, String storeId, long seq) throws MqttException {
        publish(store, chain, storeId, "summaries", Envelopes.summary(chain, storeId, seq, seq * 1000).toByteArray(), false);
    }

    private static void publish(Publisher store, String chain, String storeId, String kind, byte[] payload,
                                boolean retained) throws MqttException {
        store.client().publish("retail/" + chain + "/stores/" + storeId + "/" + kind, payload, 1, retained);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }
}
