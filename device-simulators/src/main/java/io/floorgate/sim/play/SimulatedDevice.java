package io.floorgate.sim.play;

import io.floorgate.config.Device;
import io.floorgate.config.DeviceKind;
import io.floorgate.proto.v1.CommandResult;
import io.floorgate.proto.v1.DeviceEvent;
import io.floorgate.proto.v1.Heartbeat;
import java.util.random.RandomGenerator;

/**
 * The firmware side of one device: its boot id, its sequence counter, its battery and its report intervals; it
 * answers the gateway's commands. Not thread-safe: owned by the simulation's tick thread.
 */
public final class SimulatedDevice {

    public static final String FIRMWARE = "sim-1.0";
    /** A coin-cell receiver loses about a percent an hour; simulated runs are short, so drift faster to be visible. */
    private static final double BATTERY_DRAIN_PCT_PER_HOUR = 6;
    private static final double MS_PER_HOUR = 3_600_000;

    private final Device device;
    private final int wifiRssiDbm;
    private final double batteryAtBootPct;
    private final long firstBootEpochMs;
    private long bootId;
    private long bootEpochMs;
    private long lastSeq;
    private long reportIntervalMs = StoreSimulation.REPORT_WINDOW_MS;
    private long heartbeatIntervalMs = StoreSimulation.HEARTBEAT_INTERVAL_MS;

    public SimulatedDevice(Device device, long bootEpochMs, RandomGenerator rng) {
        this.device = device;
        this.bootEpochMs = bootEpochMs;
        this.firstBootEpochMs = bootEpochMs;
        // boot_id must be non-zero; drawn from the caller's RNG so a seeded run replays the same boots
        this.bootId = rng.nextLong(1, Long.MAX_VALUE);
        this.wifiRssiDbm = -45 - rng.nextInt(30);
        this.batteryAtBootPct = 60 + rng.nextDouble() * 40;
    }

    /** A restart: a new boot id drawn from {@code rng}, seq from 1 again, the default intervals. */
    public void reboot(long epochMs, RandomGenerator rng) {
        bootId = rng.nextLong(1, Long.MAX_VALUE);
        bootEpochMs = epochMs;
        lastSeq = 0;
        reportIntervalMs = StoreSimulation.REPORT_WINDOW_MS;
        heartbeatIntervalMs = StoreSimulation.HEARTBEAT_INTERVAL_MS;
    }

    /** A receiver's sighting window; the simulation reports on whole ticks, so it is rounded to one. */
    public long reportIntervalMs() {
        return reportIntervalMs;
    }

    public long heartbeatIntervalMs() {
        return heartbeatIntervalMs;
    }

    /** Both intervals, rounded to whole ticks of the simulation; at least one tick. */
    public void setReportIntervals(long reportMs, long heartbeatMs) {
        reportIntervalMs = wholeTicks(reportMs);
        heartbeatIntervalMs = wholeTicks(heartbeatMs);
    }

    private static long wholeTicks(long ms) {
        return Math.max(1, Math.round((double) ms / StoreSimulation.TICK_MS)) * StoreSimulation.TICK_MS;
    }

    /** The answer to a command, as the next event of this boot. */
    public DeviceEvent answer(String commandId, boolean ok, String detail, long epochMs) {
        return nextEvent(epochMs).setCommandResult(CommandResult.newBuilder().setCommandId(commandId).setOk(ok)
                .setDetail(detail)).build();
    }

    public Device device() {
        return device;
    }

    public long bootId() {
        return bootId;
    }

    public long lastSeq() {
        return lastSeq;
    }

    /** A new event with the next sequence number; the caller sets the body. */
    public DeviceEvent.Builder nextEvent(long epochMs) {
        return DeviceEvent.newBuilder()
                .setDeviceId(device.id())
                .setSeq(++lastSeq)
                .setObservedAtMs(epochMs)
                .setBootId(bootId);
    }

    public Heartbeat heartbeat(long epochMs) {
        Heartbeat.Builder hb = Heartbeat.newBuilder()
                .setDeviceId(device.id())
                .setBootId(bootId)
                .setSentAtMs(epochMs)
                .setUptimeS(Math.max(0, (epochMs - bootEpochMs) / 1000))
                .setFirmware(FIRMWARE)
                .setLastSeq(lastSeq);
        if (device.kind() == DeviceKind.BLE_RECEIVER) {
            // receivers are battery powered on Wi-Fi; readers and kiosks are wired and on mains
            // a reboot does not recharge the battery
            double hours = (epochMs - firstBootEpochMs) / MS_PER_HOUR;
            hb.setBatteryPct((int) Math.max(0, Math.round(batteryAtBootPct - hours * BATTERY_DRAIN_PCT_PER_HOUR)));
            hb.setWifiRssiDbm(wifiRssiDbm);
        }
        return hb.build();
    }
}
