package io.floorgate.sim.play;

import static org.assertj.core.api.Assertions.assertThat;

import io.floorgate.config.Point;
import io.floorgate.config.StoreConfig;
import io.floorgate.config.StoreConfigLoader;
import io.floorgate.config.Zone;
import io.floorgate.proto.v1.DeviceCommand;
import io.floorgate.proto.v1.DeviceEvent;
import io.floorgate.sim.store.SyntheticStore;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoreSimulationTest {

    private static final StoreConfig STORE = SyntheticStore.demoLike(3).build();
    private static final long START = 1_700_000_000_000L;
    /** Twenty simulated minutes: long enough for shoppers to come, browse, tap, and leave. */
    private static final long TICKS = 20 * 60 * 1000 / StoreSimulation.TICK_MS;

    @Test
    void play_whenSameSeed_thenSameGroundTruthAndSameMessages() {
        Run a = run(42);
        Run b = run(42);
        assertThat(a.truth).isNotEmpty().isEqualTo(b.truth);
        assertThat(a.messages).hasSameSizeAs(b.messages);
        for (int i = 0; i < a.messages.size(); i++) {
            assertThat(a.messages.get(i).payload()).isEqualTo(b.messages.get(i).payload());
        }
        assertThat(run(43).truth).isNotEqualTo(a.truth);
    }

    @Test
    void play_whenShoppersWalkTheGridStore_thenTheyOnlyMoveBetweenAdjacentZonesAndStayInside() {
        assertAdjacentMovesInside(STORE, run(STORE, 5));
    }

    @Test
    void play_whenShoppersWalkTheDemoStore_thenTheyOnlyMoveBetweenAdjacentZonesAndStayInside() throws Exception {
        StoreConfig demo = StoreConfigLoader.loadDemo();
        assertAdjacentMovesInside(demo, run(demo, 6));
    }

    @Test
    void obey_whenRebootThenSetReportInterval_thenAnswersFromANewBootAtSeqOneAndHeartbeatsAtTheNewInterval()
            throws Exception {
        StoreSimulation sim = new StoreSimulation(STORE, 42, 0, START, PathLossModel.SHOP_FLOOR, row -> { });
        String deviceId = STORE.devices().get(0).id();
        long bootBefore = sim.device(deviceId).bootId();
        for (int i = 0; i < 10; i++) {
            sim.tick();
        }

        Obeyed reboot = sim.obey(deviceId, DeviceCommand.newBuilder().setCommandId("c-1")
                .setReboot(DeviceCommand.Reboot.getDefaultInstance()).build());
        Obeyed intervals = sim.obey(deviceId, DeviceCommand.newBuilder().setCommandId("c-2")
                .setSetReportInterval(DeviceCommand.SetReportInterval.newBuilder().setHeartbeatIntervalS(10)).build());

        assertThat(reboot.reboot()).isTrue();
        DeviceEvent answer = DeviceEvent.parseFrom(reboot.answer().payload());
        assertThat(answer.getBootId()).isNotEqualTo(bootBefore).isNotZero();
        assertThat(answer.getSeq()).isEqualTo(1);
        assertThat(answer.getCommandResult().getCommandId()).isEqualTo("c-1");
        assertThat(answer.getCommandResult().getOk()).isTrue();
        assertThat(intervals.reboot()).isFalse();
        assertThat(intervals.line()).isEqualTo(deviceId + ": report every 1000 ms, heartbeat every 10 s");
        long heartbeats = 0;
        for (int i = 0; i < 60_000 / StoreSimulation.TICK_MS; i++) {
            heartbeats += sim.tick().stream()
                    .filter(m -> m.deviceId().equals(deviceId) && m.channel().equals(Outbound.HEALTH)).count();
        }
        assertThat(heartbeats).isEqualTo(6);
    }

    private static void assertAdjacentMovesInside(StoreConfig store, Run run) {
        StoreLayout layout = new StoreLayout(store);
        Map<String, String> lastZone = new HashMap<>();
        int moves = 0;
        for (TruthRow row : run.truth) {
            assertThat(nearlyInside(layout.zone(row.zone()), row.x(), row.y()))
                    .as("%s at %.2f,%.2f is inside %s", row.shopperId(), row.x(), row.y(), row.zone())
                    .isTrue();
            String previous = lastZone.put(row.shopperId(), row.zone());
            if (previous != null && !previous.equals(row.zone())) {
                moves++;
                assertThat(layout.adjacent(previous, row.zone())).as("%s -> %s", previous, row.zone()).isTrue();
            }
        }
        assertThat(moves).isGreaterThan(100);
    }

    @Test
    void play_whenRun_thenReadersAndKiosksPublishQos1AndEventsCarryIncreasingSeq() throws InvalidProtocolBufferException {
        Run run = run(9);
        Map<String, Long> lastSeq = new HashMap<>();
        int qos1 = 0;
        for (Outbound m : run.messages) {
            if (!m.channel().equals(Outbound.EVENTS)) {
                continue;
            }
            DeviceEvent event = DeviceEvent.parseFrom(m.payload());
            assertThat(event.getDeviceId()).isEqualTo(m.deviceId());
            assertThat(event.getBootId()).isNotZero();
            assertThat(event.getSeq()).isEqualTo(lastSeq.getOrDefault(m.deviceId(), 0L) + 1);
            lastSeq.put(m.deviceId(), event.getSeq());
            if (m.qos() == 1) {
                qos1++;
                assertThat(event.hasNfcTap() || event.hasKioskInteraction()).isTrue();
            } else {
                assertThat(event.hasBeaconSightings()).isTrue();
                assertThat(event.getBeaconSightings().getSightingsList())
                        .allSatisfy(s -> assertThat(s.getRssiDbm()).isBetween(-100, 0));
            }
        }
        assertThat(qos1).isGreaterThan(10);
    }

    /**
     * Inside, or within a quarter metre: walks are checked every 10 cm, so a line may graze a
     * neighbouring zone's corner by a little.
     */
    private static boolean nearlyInside(Zone zone, double x, double y) {
        double d = 0.25;
        for (double dx = -d; dx <= d; dx += d) {
            for (double dy = -d; dy <= d; dy += d) {
                if (zone.contains(new Point(x + dx, y + dy))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Run run(long seed) {
        return run(STORE, seed);
    }

    private static Run run(StoreConfig store, long seed) {
        List<TruthRow> truth = new ArrayList<>();
        StoreSimulation sim = new StoreSimulation(store, seed, 20, START, PathLossModel.SHOP_FLOOR, truth::add);
        List<Outbound> messages = new ArrayList<>();
        for (long i = 0; i < TICKS; i++) {
            messages.addAll(sim.tick());
        }
        return new Run(truth, messages);
    }

    private record Run(List<TruthRow> truth, List<Outbound> messages) {
    }
}
