package io.floorgate.gateway.ingest;

import io.floorgate.proto.v1.DeviceCommand;

/**
 * What staff can tell a device to do, checked against the ranges written in {@code device.proto} when it is made,
 * so that a command the device would have to refuse is never sent.
 */
public sealed interface Command {

    /** The {@code kind} label of {@code floorgate_device_commands_total}. */
    String kind();

    /** Sets this command's body on the message. */
    DeviceCommand.Builder addTo(DeviceCommand.Builder message);

    /** Blink or beep for {@code durationS} seconds so staff can find the device. */
    record Identify(int durationS) implements Command {
        public static final int MAX_DURATION_S = 300;

        public Identify {
            if (durationS < 1 || durationS > MAX_DURATION_S) {
                throw new IllegalArgumentException("identify duration must be 1..300 s, not " + durationS);
            }
        }

        @Override
        public String kind() {
            return "identify";
        }

        @Override
        public DeviceCommand.Builder addTo(DeviceCommand.Builder message) {
            return message.setIdentify(DeviceCommand.Identify.newBuilder().setDurationS(durationS));
        }
    }

    /** Restart; the device comes back with a new boot id. */
    record Reboot() implements Command {
        @Override
        public String kind() {
            return "reboot";
        }

        @Override
        public DeviceCommand.Builder addTo(DeviceCommand.Builder message) {
            return message.setReboot(DeviceCommand.Reboot.getDefaultInstance());
        }
    }

    /** A receiver's sighting window, milliseconds, and every device's heartbeat interval, seconds. */
    record SetReportInterval(int reportIntervalMs, int heartbeatIntervalS) implements Command {
        public static final int MIN_REPORT_INTERVAL_MS = 100;
        public static final int MAX_REPORT_INTERVAL_MS = 60_000;
        public static final int MIN_HEARTBEAT_INTERVAL_S = 5;
        public static final int MAX_HEARTBEAT_INTERVAL_S = 3_600;

        public SetReportInterval {
            if (reportIntervalMs < MIN_REPORT_INTERVAL_MS || reportIntervalMs > MAX_REPORT_INTERVAL_MS) {
                throw new IllegalArgumentException("report interval must be 100..60000 ms, not " + reportIntervalMs);
            }
            if (heartbeatIntervalS < MIN_HEARTBEAT_INTERVAL_S || heartbeatIntervalS > MAX_HEARTBEAT_INTERVAL_S) {
                throw new IllegalArgumentException("heartbeat interval must be 5..3600 s, not " + heartbeatIntervalS);
            }
        }

        @Override
        public String kind() {
            return "set_report_interval";
        }

        @Override
        public DeviceCommand.Builder addTo(DeviceCommand.Builder message) {
            return message.setSetReportInterval(DeviceCommand.SetReportInterval.newBuilder()
                    .setReportIntervalMs(reportIntervalMs).setHeartbeatIntervalS(heartbeatIntervalS));
        }
    }
}
