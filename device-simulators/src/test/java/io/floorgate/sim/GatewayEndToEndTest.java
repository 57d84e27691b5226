package io.floorgate.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.floorgate.config.Listeners;
import io.floorgate.config.StoreConfig;
import io.floorgate.config.StoreConfigLoader;
import io.floorgate.gateway.Gateway;
import io.floorgate.sim.misbehave.CaseResult;
import io.floorgate.sim.misbehave.MisbehaveRun;
import io.floorgate.sim.play.AppCheckIns;
import io.floorgate.sim.play.PlayOptions;
import io.floorgate.sim.play.PlayStats;
import io.floorgate.sim.score.LocationPoll;
import io.floorgate.sim.score.LocationPoller;
import io.floorgate.sim.play.PlayResult;
import io.floorgate.sim.play.StorePlayer;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulator against a real gateway started in-process on free ports with a temporary H2 directory. */
class GatewayEndToEndTest {

    private static final long START_TIMEOUT_S = 30;
    /** The gateway's embedded database user (gateway testing/RunningGateway). */
    private static final String H2_USER = "floorgate";

    @TempDir
    Path dataDir;

    private Vertx vertx;
    private Gateway gateway;
    private StoreConfig store;

    @BeforeEach
    void startGateway() throws Exception {
        store = StoreConfigLoader.loadDemo().withListeners(new Listeners("127.0.0.1", 0, 0, Optional.empty()));
        vertx = Vertx.vertx();
        gateway = Gateway.start(vertx, store, dataDir).toCompletionStage().toCompletableFuture()
                .get(START_TIMEOUT_S, TimeUnit.SECONDS);
    }

    @AfterEach
    void stopGateway() throws Exception {
        gateway.stop().toCompletionStage().toCompletableFuture().get(START_TIMEOUT_S, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(START_TIMEOUT_S, TimeUnit.SECONDS);
    }

    @Test
    void play_whenDemoStorePlayedFastWithFixedSeed_thenEveryQos1EventOfReadersAndKiosksIsInH2() throws Exception {
        // ten simulated minutes in about five seconds: long enough for shoppers to reach kiosks and readers
        PlayOptions options = new PlayOptions(store, "tcp://127.0.0.1:" + gateway.mqttPort(), 40, 120,
                Duration.ofMinutes(10), 42, System.currentTimeMillis(), row -> { }, Optional.empty(), 1);
        PlayResult result = new StorePlayer(options, new PrintWriter(new StringWriter())).run(() -> false);

        assertThat(result.errors()).isZero();
        assertThat(result.sentQos1()).isPositive();
        assertThat(result.acked()).isEqualTo(result.sentQos1());
        Set<String> readersAndKiosks = new HashSet<>();
        store.devices().stream().filter(d -> d.kind() != io.floorgate.config.DeviceKind.BLE_RECEIVER)
                .forEach(d -> readersAndKiosks.add(d.id()));
        long rows = 0;
        try (Connection db = DriverManager.getConnection(gateway.jdbcUrl(), H2_USER, "");
             Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT device_id, COUNT(*) FROM device_event GROUP BY device_id")) {
            while (rs.next()) {
                assertThat(readersAndKiosks).contains(rs.getString(1));
                rows += rs.getLong(2);
            }
        }
        // acknowledged means committed: every acknowledged QoS 1 event is a row
        assertThat(rows).isEqualTo(result.acked());
    }

    @Test
    void play_whenShoppersCheckInOverHttp_thenTheGatewayLocatesThemByTheKeysItIssued() throws Exception {
        PlayOptions options = new PlayOptions(store, "tcp://127.0.0.1:" + gateway.mqttPort(), 3, 1,
                Duration.ofSeconds(30), 42, System.currentTimeMillis(), row -> { },
                Optional.of(URI.create("http://127.0.0.1:" + gateway.httpPort())), 1);
        StorePlayer player = new StorePlayer(options, new PrintWriter(new StringWriter()));
        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<PlayResult> run = CompletableFuture.supplyAsync(() -> {
            try {
                return player.run(stop::get);
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> player.checkIns().orElseThrow().openSessions().stream()
                    .anyMatch(s -> gateway.locationQuery().locationOf(s.sessionId()).isPresent()));
        } finally {
            stop.set(true);
        }
        PlayResult result = run.get(START_TIMEOUT_S, TimeUnit.SECONDS);

        assertThat(result.checkedIn()).isPositive();
        assertThat(result.apiErrors()).isZero();
        // leaving with the store: every session was checked out at the end of the run
        assertThat(player.checkIns().orElseThrow().openSessions()).isEmpty();
    }

    @Test
    void poll_whenShopperCheckedInWithoutLocationConsent_thenEveryLocationAnswerIs403() throws Exception {
        URI api = URI.create("http://127.0.0.1:" + gateway.httpPort());
        AppCheckIns app = new AppCheckIns(api, store.storeId(), new PlayStats());
        app.entered("shopper-without-consent", false);
        await().atMost(Duration.ofSeconds(10)).until(() -> app.isOpen("shopper-without-consent"));

        try (LocationPoller poller = new LocationPoller(api, app)) {
            poller.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> poller.polls().size() >= 2);
            assertThat(poller.polls()).allMatch(p -> p.outcome() == LocationPoll.Outcome.REFUSED);
        }
        app.checkOutEveryone().get(START_TIMEOUT_S, TimeUnit.SECONDS);
        assertThat(app.openSessions()).isEmpty();
    }

    @Test
    void misbehave_whenEveryCaseIsPlayed_thenEachGetsTheExpectedAnswerAndTheControlDeviceKeepsGettingAcks()
            throws Exception {
        StringWriter report = new StringWriter();
        MisbehaveRun.Result result = MisbehaveRun.run(store, "tcp://127.0.0.1:" + gateway.mqttPort(),
                URI.create("http://127.0.0.1:" + gateway.httpPort() + "/metrics"), new PrintWriter(report));

        assertThat(result.cases()).as(report.toString()).allMatch(CaseResult::passed);
        assertThat(result.cases()).allMatch(c -> c.metricDelta().isPresent());
        assertThat(result.control().sent()).isPositive();
        assertThat(result.control().acked()).as(result.controlLine()).isEqualTo(result.control().sent());
        assertThat(result.control().connected()).isTrue();
    }
}
