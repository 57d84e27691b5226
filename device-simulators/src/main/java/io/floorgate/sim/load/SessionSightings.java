package io.floorgate.sim.load;

import com.google.protobuf.ByteString;
import io.floorgate.proto.v1.BeaconSightings;
import io.floorgate.proto.v1.Sighting;
import io.floorgate.sim.checkin.SessionKey;
import io.floorgate.sim.play.RotatingAdvertiser;
import io.floorgate.sim.play.StoreSimulation;
import java.util.List;

/**
 * The batch one load connection sends over and over: the ids checked-in shoppers advertise in the
 * current slot, as one receiver would hear them. Built once per run; the gateway also resolves the
 * previous slot's ids, so a run stays fully resolvable for at least one rotation period.
 */
final class SessionSightings {

    private static final int TX_POWER_DBM = -59;
    /** A few metres away, varied so receivers do not tie. */
    private static final int NEAR_RSSI_DBM = -65;
    private static final int RSSI_SPREAD_DB = 20;
    private static final int ADVERTISEMENTS_PER_WINDOW = (int) (StoreSimulation.REPORT_WINDOW_MS / StoreSimulation.TICK_MS);

    private SessionSightings() {
    }

    /**
     * Connection {@code index} of {@code connections} hears {@code perBatch} sessions starting at its
     * share of the list, so together the connections cover every session when they can.
     */
    static BeaconSightings batch(List<SessionKey> sessions, int index, int connections, int perBatch, long epochMs) {
        BeaconSightings.Builder batch = BeaconSightings.newBuilder().setWindowMs((int) StoreSimulation.REPORT_WINDOW_MS);
        int first = (int) ((long) index * sessions.size() / connections);
        for (int j = 0; j < Math.min(perBatch, sessions.size()); j++) {
            SessionKey session = sessions.get((first + j) % sessions.size());
            byte[] id = new RotatingAdvertiser(session.key(), session.rotationPeriod()).idAt(epochMs);
            batch.addSightings(Sighting.newBuilder().setObservedId(ByteString.copyFrom(id))
                    .setRssiDbm(NEAR_RSSI_DBM - (index + j) % RSSI_SPREAD_DB).setTxPowerDbm(TX_POWER_DBM)
                    .setCount(ADVERTISEMENTS_PER_WINDOW));
        }
        return batch.build();
    }
}
