package io.floorgate.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.floorgate.config.Device;
import io.floorgate.config.DeviceKind;
import io.floorgate.config.Listeners;
import io.floorgate.config.StoreConfig;
import io.floorgate.config.StoreConfigLoader;
import io.floorgate.gateway.Gateway;
import io.floorgate.gateway.alerts.AlertKind;
import io.floorgate.gateway.ingest.Command;
import io.floorgate.gateway.ingest.CommandOutcome;
import io.floorgate.gateway.ingest.CommandReport;
import io.floorgate.gateway.ingest.CommandStatus;
import io.floorgate.sim.play.Outages;
import io.floorgate.sim.play.PlayOptions;
import io.floorgate.sim.play.PlayResult;
import io.floorgate.sim.play.StorePlayer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulator's devices obey the gateway's commands and answer them, against a real gateway in-process. */
class SimulatedDeviceCommandsTest {

    private static final long TIMEOUT_S = 30;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dataDir;

    private Vertx vertx;
    private Gateway gateway;
    private StoreConfig store;
    private final StringWriter output = new StringWriter();
    private final AtomicBoolean stop = new AtomicBoolean();
    private CompletableFuture<PlayResult> run;

    @BeforeEach
    void startGateway() throws Exception {
        store = StoreConfigLoader.loadDemo().withListeners(new Listeners("127.0.0.1", 0, 0, Optional.empty()));
        vertx = Vertx.vertx();
        gateway = get(Gateway.start(vertx, store, dataDir));
    }

    @AfterEach
    void stopPlayerAndGateway() throws Exception {
        stop.set(true);
        if (run != null) {
            run.get(TIMEOUT_S, TimeUnit.SECONDS);
        }
        get(gateway.stop());
        get(vertx.close());
    }

    private static <T> T get(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(TIMEOUT_S, TimeUnit.SECONDS);
    }

    private void play(double speed, Optional<Outages> outages) {
        PlayOptions options = new PlayOptions(store, "tcp://127.0.0.1:" + gateway.mqttPort(), 5, speed, null, 42,
                System.currentTimeMillis(), row -> { }, Optional.empty(), 1);
        StorePlayer player = new StorePlayer(options, new PrintWriter(output, true), outages);
        run = CompletableFuture.supplyAsync(() -> {
            try {
                return player.run(stop::get);
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
    }

    private String device(DeviceKind kind) {
        return store.devices().stream().filter(d -> d.kind() == kind).map(Device::id).findFirst().orElseThrow();
    }

    /** Sends until the device has subscribed to its commands topic, which it does just after connecting. */
    private CommandOutcome sendOnceSubscribed(String deviceId, Command command) {
        AtomicReference<CommandOutcome> outcome = new AtomicReference<>();
        await().atMost(WAIT).until(() -> {
            outcome.set(get(gateway.deviceCommands().send(deviceId, command)));
            return outcome.get().status() != CommandStatus.NOT_SUBSCRIBED
                    && outcome.get().status() != CommandStatus.NOT_CONNECTED;
        });
        assertThat(outcome.get().status()).isEqualTo(CommandStatus.ACKNOWLEDGED);
        return outcome.get();
    }

    @Test
    void identifyAndReboot_whenSentToASimulatedKiosk_thenItObeysAndAnswersFromItsNewBootAfterTheReboot()
            throws Exception {
        play(1, Optional.empty());
        String kiosk = device(DeviceKind.KIOSK);

        CommandOutcome identify = sendOnceSubscribed(kiosk, new Command.Identify(7));
        CommandReport identified = get(gateway.deviceCommands().report(identify.commandId()));

        assertThat(identified.ok()).isTrue();
        assertThat(identified.detail()).isEqualTo("identify for 7 s");
        assertThat(output.toString()).contains(kiosk + ": identify for 7 s");

        CommandOutcome reboot = sendOnceSubscribed(kiosk, new Command.Reboot());
        CommandReport rebooted = get(gateway.deviceCommands().report(reboot.commandId()));

        assertThat(rebooted.ok()).isTrue();
        assertThat(rebooted.bootId()).isNotEqualTo(identified.bootId());
        assertThat(gateway.deviceCommands().lastReport(kiosk)).contains(rebooted);
        // a reboot says DISCONNECT: no alarm
        assertThat(gateway.alerts().open()).noneMatch(a -> a.kind() == AlertKind.DEVICE_OFFLINE);
        // and it takes commands again on its new connection
        CommandOutcome again = sendOnceSubscribed(kiosk, new Command.SetReportInterval(1_000, 10));
        assertThat(get(gateway.deviceCommands().report(again.commandId())).detail())
                .isEqualTo("report every 1000 ms, heartbeat every 10 s");
    }

    @Test
    void outages_whenPlayed_thenTheGatewayRaisesDeviceOfflineAndResolvesItWhenTheReceiverIsBack() {
        String receiver = device(DeviceKind.BLE_RECEIVER);
        // at 20x the first outage comes after three seconds and lasts one and a half: time for the gateway to see the
        // connection go before the receiver is back (one that comes back sooner simply takes over its old connection)
        play(20, Optional.of(new Outages(Duration.ofMinutes(1), Duration.ofSeconds(30), List.of(receiver))));

        // resolved: raised when the connection was lost, resolved when the receiver reconnected
        await().atMost(WAIT).until(() -> gateway.alerts().recent().stream()
                .anyMatch(a -> a.kind() == AlertKind.DEVICE_OFFLINE && a.subject().equals(receiver)));
        assertThat(output.toString()).contains("outage: " + receiver).contains("outage over: " + receiver);
    }
}
