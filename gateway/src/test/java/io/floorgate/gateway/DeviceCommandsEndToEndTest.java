package io.floorgate.gateway;

import static io.floorgate.gateway.testing.RunningGateway.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;

import io.floorgate.gateway.ingest.Command;
import io.floorgate.gateway.ingest.CommandOutcome;
import io.floorgate.gateway.ingest.CommandReport;
import io.floorgate.gateway.ingest.CommandStatus;
import io.floorgate.gateway.ingest.DeviceCommands;
import io.floorgate.gateway.testing.Events;
import io.floorgate.gateway.testing.RunningGateway;
import io.floorgate.gateway.testing.TestDevice;
import io.floorgate.gateway.testing.TestStore;
import io.floorgate.proto.v1.DeviceCommand;
import io.vertx.core.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commands reach a real Paho device on its commands topic at QoS 1, and its answers come back to the sender. */
class DeviceCommandsEndToEndTest {

    private static final long BOOT = 7;

    @TempDir
    Path dataDir;

    private RunningGateway gw;
    private DeviceCommands commands;

    @BeforeEach
    void startGateway() {
        gw = RunningGateway.start(TestStore.config(), dataDir);
        commands = gw.gateway().deviceCommands();
    }

    @AfterEach
    void stopGateway() {
        gw.close();
    }

    @Test
    void identify_whenDeviceIsSubscribed_thenReachesItAndCompletesOnPuback() throws Exception {
        try (TestDevice receiver = TestDevice.connect(gw.mqttUri(), TestStore.BLE)) {
            receiver.subscribe("commands");

            CommandOutcome outcome = await(commands.send(TestStore.BLE, new Command.Identify(10)));

            assertThat(outcome.status()).isEqualTo(CommandStatus.ACKNOWLEDGED);
            assertThat(outcome.kind()).isEqualTo("identify");
            // Paho hands the message to the callback before it sends PUBACK, so it is here once the future completed.
            assertThat(receiver.received()).hasSize(1);
            TestDevice.Received received = receiver.received().get(0);
            assertThat(received.topic()).isEqualTo(TestDevice.topic(TestStore.BLE, "commands"));
            DeviceCommand command = DeviceCommand.parseFrom(received.payload());
            assertThat(command.getCommandId()).isEqualTo(outcome.commandId()).isNotEmpty();
            assertThat(command.getIssuedAtMs()).isEqualTo(outcome.issuedAtMs()).isPositive();
            assertThat(command.getIdentify().getDurationS()).isEqualTo(10);
            assertThat(gw.metric("floorgate_device_commands_total", "kind", "identify", "result", "acknowledged"))
                    .isEqualTo(1);
        }
    }

    @Test
    void report_whenDeviceAnswersTheCommand_thenItsResultCompletesTheReportAndIsItsLastReport() throws Exception {
        try (TestDevice kiosk = TestDevice.connect(gw.mqttUri(), TestStore.KIOSK)) {
            kiosk.subscribe("commands");
            CommandOutcome outcome = await(commands.send(TestStore.KIOSK, new Command.Reboot()));
            Future<CommandReport> report = commands.report(outcome.commandId());

            kiosk.publish("events", Events.commandResult(TestStore.KIOSK, BOOT, 1, outcome.commandId(), true).build(), 1)
                    .waitForCompletion(5_000);

            CommandReport answer = await(report);
            assertThat(answer.ok()).isTrue();
            assertThat(answer.deviceId()).isEqualTo(TestStore.KIOSK);
            assertThat(answer.bootId()).isEqualTo(BOOT);
            assertThat(commands.lastReport(TestStore.KIOSK)).contains(answer);
            // asked for after it came: answered from what is tracked
            assertThat(await(commands.report(outcome.commandId()))).isEqualTo(answer);
            assertThat(gw.metric("floorgate_device_command_reports_total", "result", "ok")).isEqualTo(1);
        }
    }

    @Test
    void send_whenDeviceNeverAcknowledges_thenTimeoutAfterTheAckTimeout() throws Exception {
        try (TestDevice receiver = TestDevice.connect(gw.mqttUri(), TestStore.BLE)) {
            // Paho then sends PUBACK only when told to, and this test never tells it
            receiver.client().setManualAcks(true);
            receiver.subscribe("commands");

            CommandOutcome outcome = await(commands.send(TestStore.BLE, new Command.Identify(3)));

            assertThat(outcome.status()).isEqualTo(CommandStatus.TIMEOUT);
            assertThat(receiver.received()).hasSize(1);
            assertThat(commands.report(outcome.commandId()).failed()).isTrue();
            assertThat(gw.metric("floorgate_device_commands_total", "kind", "identify", "result", "timeout"))
                    .isEqualTo(1);
        }
    }

    @Test
    void send_whenDeviceIsNotConnected_thenNotConnectedAtOnce() {
        CommandOutcome outcome = await(commands.send(TestStore.NFC, new Command.Identify(5)));

        assertThat(outcome.status()).isEqualTo(CommandStatus.NOT_CONNECTED);
        assertThat(outcome.commandId()).isNotEmpty();
    }

    @Test
    void send_whenDeviceIsUnknown_thenUnknownDevice() {
        assertThat(await(commands.send("no-such-device", new Command.Reboot())).status())
                .isEqualTo(CommandStatus.UNKNOWN_DEVICE);
    }

    @Test
    void send_whenDeviceNeverSubscribed_thenNotSubscribedAndNothingIsSent() throws Exception {
        try (TestDevice reader = TestDevice.connect(gw.mqttUri(), TestStore.NFC)) {
            CommandOutcome outcome = await(commands.send(TestStore.NFC, new Command.Identify(5)));

            assertThat(outcome.status()).isEqualTo(CommandStatus.NOT_SUBSCRIBED);
            assertThat(gw.metric("floorgate_device_commands_total", "kind", "identify", "result", "not_subscribed"))
                    .isEqualTo(1);
            assertThat(reader.received()).isEmpty();
        }
    }

    @Test
    void send_whenDeviceDroppedItsConnection_thenNotConnected() throws Exception {
        try (TestDevice receiver = TestDevice.connect(gw.mqttUri(), TestStore.BLE_2)) {
            receiver.subscribe("commands");
            receiver.dropConnection();

            await().atMost(Duration.ofSeconds(10)).until(() -> await(commands.send(TestStore.BLE_2,
                    new Command.Identify(1))).status() == CommandStatus.NOT_CONNECTED);
        }
    }
}
