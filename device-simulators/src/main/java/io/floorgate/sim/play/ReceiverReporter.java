package io.floorgate.sim.play;

import com.google.protobuf.ByteString;
import io.floorgate.proto.v1.BeaconSightings;
import io.floorgate.proto.v1.Sighting;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A BLE receiver's report window: collects the advertisements it heard and turns them into
 * BeaconSightings batches, one entry per advertised id with the count heard and the mean RSSI.
 * Insertion-ordered, so a seeded run produces byte-identical batches.
 */
public final class ReceiverReporter {

    /** The contract's bound on one batch; a longer window is split over several events. */
    public static final int MAX_SIGHTINGS_PER_BATCH = 1024;

    private final int txPowerDbm;
    private final Map<ByteString, long[]> window = new LinkedHashMap<>();

    public ReceiverReporter(int txPowerDbm) {
        this.txPowerDbm = txPowerDbm;
    }

    public void heard(byte[] advertisedId, int rssiDbm) {
        long[] sumAndCount = window.computeIfAbsent(ByteString.copyFrom(advertisedId), k -> new long[2]);
        sumAndCount[0] += rssiDbm;
        sumAndCount[1]++;
    }

    /** Closes the window: the batches to publish (none when nothing was heard). */
    public List<BeaconSightings> flush(int windowMs) {
        List<BeaconSightings> batches = new ArrayList<>();
        BeaconSightings.Builder batch = BeaconSightings.newBuilder().setWindowMs(windowMs);
        for (Map.Entry<ByteString, long[]> e : window.entrySet()) {
            long sum = e.getValue()[0];
            long count = e.getValue()[1];
            batch.addSightings(Sighting.newBuilder()
                    .setObservedId(e.getKey())
                    .setRssiDbm((int) Math.round((double) sum / count))
                    .setTxPowerDbm(txPowerDbm)
                    .setCount((int) count));
            if (batch.getSightingsCount() == MAX_SIGHTINGS_PER_BATCH) {
                batches.add(batch.build());
                batch = BeaconSightings.newBuilder().setWindowMs(windowMs);
            }
        }
        if (batch.getSightingsCount() > 0) {
            batches.add(batch.build());
        }
        window.clear();
        return batches;
    }
}
