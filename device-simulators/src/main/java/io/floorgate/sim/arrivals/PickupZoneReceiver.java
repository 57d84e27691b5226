package io.floorgate.sim.arrivals;

import com.google.protobuf.ByteString;
import io.floorgate.proto.v1.BeaconSightings;
import io.floorgate.proto.v1.DeviceEvent;
import io.floorgate.proto.v1.Sighting;
import io.floorgate.sim.play.PathLossModel;
import io.floorgate.sim.play.StoreSimulation;
import io.floorgate.sim.wire.MqttFrames;
import io.floorgate.sim.wire.RawMqttConnection;
import io.netty.channel.Channel;

/**
 * One receiver of the pickup zone, connected as that device: publishes, at QoS 0 as receivers do, a batch in
 * which it hears one phone strongly, as from a shopper standing at the counter.
 *
 * <p>Thread: lives on its connection's event loop; {@link #hear} must be called there.
 */
final class PickupZoneReceiver {

    /** A phone a metre or two away: far above anything a receiver in another zone could hear of it. */
    static final int NEAR_RSSI_DBM = -45;
    /** Every advertisement of the report window heard: a phone advertises once a tick. */
    static final int ADVERTISEMENTS_PER_WINDOW = (int) (StoreSimulation.REPORT_WINDOW_MS / StoreSimulation.TICK_MS);
    private static final int TX_POWER_DBM = (int) PathLossModel.SHOP_FLOOR.txPowerAt1mDbm();

    private final RawMqttConnection connection;
    private final String deviceId;
    private final String topic;
    private final long bootId;
    private long seq;

    /** @param bootId new for every run: the gateway drops a (device, boot, seq) it has seen, across runs too */
    PickupZoneReceiver(RawMqttConnection connection, String deviceId, String topic, long bootId) {
        this.connection = connection;
        this.deviceId = deviceId;
        this.topic = topic;
        this.bootId = bootId;
    }

    void hear(byte[] advertisedId, long epochMs) {
        Sighting sighting = Sighting.newBuilder().setObservedId(ByteString.copyFrom(advertisedId))
                .setRssiDbm(NEAR_RSSI_DBM).setTxPowerDbm(TX_POWER_DBM).setCount(ADVERTISEMENTS_PER_WINDOW).build();
        DeviceEvent event = DeviceEvent.newBuilder().setDeviceId(deviceId).setBootId(bootId).setSeq(++seq)
                .setObservedAtMs(epochMs).setBeaconSightings(BeaconSightings.newBuilder()
                        .setWindowMs((int) StoreSimulation.REPORT_WINDOW_MS).addSightings(sighting))
                .build();
        Channel channel = connection.channel();
        channel.writeAndFlush(MqttFrames.publish(channel.alloc(), topic, 0, 0, event.toByteArray()),
                channel.voidPromise());
    }
}
