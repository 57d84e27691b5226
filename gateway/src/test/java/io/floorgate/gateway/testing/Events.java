package io.floorgate.gateway.testing;

import com.google.protobuf.ByteString;
import io.floorgate.proto.v1.BeaconSightings;
import io.floorgate.proto.v1.CommandResult;
import io.floorgate.proto.v1.DeviceEvent;
import io.floorgate.proto.v1.Heartbeat;
import io.floorgate.proto.v1.KioskInteraction;
import io.floorgate.proto.v1.NfcTap;
import io.floorgate.proto.v1.Sighting;

/** Valid payloads of each kind, to be spoiled one field at a time by the tests that need bad ones. */
public final class Events {

    private Events() {
    }

    public static DeviceEvent.Builder nfcTap(String deviceId, long bootId, long seq) {
        return base(deviceId, bootId, seq).setNfcTap(NfcTap.newBuilder()
                .setToken(ByteString.copyFromUtf8("order-" + seq)).setKind(NfcTap.TokenKind.TOKEN_KIND_ORDER));
    }

    public static DeviceEvent.Builder sightings(String deviceId, long bootId, long seq) {
        return base(deviceId, bootId, seq).setBeaconSightings(BeaconSightings.newBuilder().setWindowMs(1000)
                .addSightings(Sighting.newBuilder().setObservedId(ByteString.copyFrom(new byte[16]))
                        .setRssiDbm(-70).setTxPowerDbm(-59).setCount(4)));
    }

    public static DeviceEvent.Builder feedback(String deviceId, long bootId, long seq) {
        return base(deviceId, bootId, seq).setKioskInteraction(KioskInteraction.newBuilder()
                .setFeedback(KioskInteraction.Feedback.newBuilder().setCsat(5).setNps(9).setCes(2)));
    }

    public static DeviceEvent.Builder commandResult(String deviceId, long bootId, long seq, String commandId,
                                                    boolean ok) {
        return base(deviceId, bootId, seq).setCommandResult(CommandResult.newBuilder().setCommandId(commandId)
                .setOk(ok).setDetail(ok ? "done" : "refused"));
    }

    public static Heartbeat heartbeat(String deviceId, long bootId, int batteryPct) {
        return Heartbeat.newBuilder().setDeviceId(deviceId).setBootId(bootId).setSentAtMs(System.currentTimeMillis())
                .setBatteryPct(batteryPct).setUptimeS(120).setFirmware("test-1.0").build();
    }

    private static DeviceEvent.Builder base(String deviceId, long bootId, long seq) {
        return DeviceEvent.newBuilder().setDeviceId(deviceId).setBootId(bootId).setSeq(seq)
                .setObservedAtMs(System.currentTimeMillis());
    }
}
