package io.floorgate.sim.score;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.floorgate.config.StoreConfig;
import io.floorgate.gateway.location.FloorMap;
import io.floorgate.gateway.location.ShopperLocation;
import io.floorgate.gateway.location.ZoneChangeListener;
import io.floorgate.gateway.location.ZoneEntry;
import io.floorgate.gateway.location.ZoneEstimator;
import io.floorgate.gateway.location.ZoneExit;
import io.floorgate.proto.v1.DeviceEvent;
import io.floorgate.proto.v1.Sighting;
import io.floorgate.sim.play.Outbound;
import io.floorgate.sim.play.PathLossModel;
import io.floorgate.sim.play.ShopperWalk;
import io.floorgate.sim.play.StoreSimulation;
import io.floorgate.sim.play.TruthRow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Plays a store in simulated time straight into the gateway's {@link ZoneEstimator}, with no sockets and no
 * wall clock, and scores it with the same {@link LocationScorer} as {@code score}: the same seed gives the same
 * figure on any machine, in seconds rather than minutes. What it leaves out is what the real run adds on top:
 * the MQTT and HTTP hops (milliseconds) and the poll's phase against the receivers' reports, modelled here by
 * asking {@code pollPhaseMs} after each report round.
 */
final class LocationReplay {

    /** The location stage settles every 50 ms: on average 25 ms after a round of reports is in. */
    private static final long SETTLE_AFTER_MS = 25;

    private LocationReplay() {
    }

    static LocationScore run(StoreConfig store, long seed, int shoppers, long durationMs, long pollPhaseMs) {
        List<TruthRow> truth = new ArrayList<>();
        StoreSimulation sim = new StoreSimulation(store, seed, shoppers, 1_700_000_000_000L, PathLossModel.SHOP_FLOOR,
                truth::add);
        ZoneEstimator estimator = new ZoneEstimator(FloorMap.of(store), new ZoneChangeListener() {
            @Override
            public void entered(ZoneEntry entry) {
            }

            @Override
            public void exited(ZoneExit exit) {
            }
        });
        List<LocationPoll> polls = new ArrayList<>();
        long end = sim.epochMs() + durationMs;
        long nextPoll = Long.MAX_VALUE;
        while (sim.epochMs() < end) {
            long now = sim.epochMs();
            if (now >= nextPoll) {
                poll(sim, estimator, nextPoll, polls);
                nextPoll = Long.MAX_VALUE;
            }
            // receivers report on the tick that closes their window: only then are ids needed
            boolean reportTick = sim.simulatedMs() > 0 && sim.simulatedMs() % StoreSimulation.REPORT_WINDOW_MS == 0;
            Map<ByteString, String> ids = reportTick ? advertisedIds(sim, now) : Map.of();
            boolean reported = false;
            for (Outbound out : sim.tick()) {
                if (!out.channel().equals(Outbound.EVENTS) || out.qos() != 0) {
                    continue;
                }
                DeviceEvent event = parse(out.payload());
                if (!event.hasBeaconSightings()) {
                    continue;
                }
                reported = true;
                for (Sighting s : event.getBeaconSightings().getSightingsList()) {
                    String shopper = ids.get(s.getObservedId());
                    if (shopper != null) {
                        estimator.observe(shopper, out.deviceId(), s.getRssiDbm(), s.getTxPowerDbm(), s.getCount(),
                                event.getObservedAtMs());
                    }
                }
            }
            if (reported) {
                estimator.settle(now + SETTLE_AFTER_MS, (session, location) -> { });
                nextPoll = now + pollPhaseMs;
            }
        }
        return LocationScorer.score(truth, polls);
    }

    private static void poll(StoreSimulation sim, ZoneEstimator estimator, long atMs, List<LocationPoll> polls) {
        for (ShopperWalk s : sim.shoppers()) {
            Optional<ShopperLocation> at = estimator.locationOf(s.id());
            polls.add(at.map(l -> LocationPoll.located(atMs, s.id(), l.zoneId()))
                    .orElseGet(() -> LocationPoll.of(atMs, s.id(), true, LocationPoll.Outcome.UNKNOWN)));
        }
    }

    /** This report's ids and the previous slot's: a report window may straddle a rotation. */
    private static Map<ByteString, String> advertisedIds(StoreSimulation sim, long now) {
        Map<ByteString, String> ids = new HashMap<>();
        for (ShopperWalk s : sim.shoppers()) {
            s.advertiser().ifPresent(a -> {
                ids.put(ByteString.copyFrom(a.idAt(now - StoreSimulation.REPORT_WINDOW_MS)), s.id());
                ids.put(ByteString.copyFrom(a.idAt(now)), s.id());
            });
        }
        return ids;
    }

    private static DeviceEvent parse(byte[] payload) {
        try {
            return DeviceEvent.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("the simulator wrote a DeviceEvent it cannot read back", e);
        }
    }
}
