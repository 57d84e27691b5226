package io.floorgate.gateway.upstream;

import java.util.List;

import io.floorgate.gateway.ingest.OfflineRows;
import io.floorgate.gateway.pickup.Order;
import io.floorgate.gateway.pickup.PickupEvent;
import io.floorgate.gateway.pickup.PickupEventRows;
import io.floorgate.gateway.store.StoreWrite;
import io.floorgate.proto.v1.DeviceOffline;
import io.floorgate.proto.v1.ErasureNotice;
import io.floorgate.proto.v1.IngestStorm;
import io.floorgate.proto.v1.PickupArrived;
import io.floorgate.proto.v1.PickupHandedOff;
import io.floorgate.proto.v1.ServiceLevelBreached;
import io.floorgate.proto.v1.UpstreamEvent;

/**
 * The live events the chain hears of at once (upstream.proto, {@link UpstreamEvent}), as outbox rows for the stage
 * that raises them to commit with its own rows. Orders appear only as their keyed hash; device ids are the
 * configured ones.
 *
 * <p>Threads: any; stateless but for the per-thread HMACs of {@link Pseudonyms}.
 */
public final class LiveEvents implements PickupEventRows, OfflineRows {

    private final Pseudonyms pseudonyms;

    public LiveEvents(Pseudonyms pseudonyms) {
        this.pseudonyms = pseudonyms;
    }

    /** An arrival, a hand-off or a breach is reported; a READY order is only counted in the summary. */
    @Override
    public List<StoreWrite> rowsFor(PickupEvent event) {
        Order order = event.order();
        UpstreamEvent.Builder live = UpstreamEvent.newBuilder();
        long atMs;
        if (event instanceof PickupEvent.Arrived arrived) {
            live.setPickupArrived(PickupArrived.newBuilder().setOrderHash(pseudonyms.order(order.id()))
                    .setPickupPointId(order.pickupPointId()).setSource(arrived.source().label())
                    .setReadyAtMs(order.readyAtMs()));
            atMs = order.arrivedAtMs().orElseThrow();
        } else if (event instanceof PickupEvent.HandedOff handedOff) {
            live.setPickupHandedOff(PickupHandedOff.newBuilder().setOrderHash(pseudonyms.order(order.id()))
                    .setPickupPointId(order.pickupPointId()).setSource(handedOff.source().label())
                    .setWaitMs(handedOff.waitMs()));
            atMs = order.handedOffAtMs().orElseThrow();
        } else if (event instanceof PickupEvent.ServiceLevelBreached breach) {
            live.setServiceLevelBreached(ServiceLevelBreached.newBuilder().setOrderHash(pseudonyms.order(order.id()))
                    .setPickupPointId(order.pickupPointId()).setWaitedMs(breach.waitedMs())
                    .setServiceLevelMs(breach.serviceLevelMs()));
            atMs = order.arrivedAtMs().orElseThrow() + breach.waitedMs();
        } else {
            return List.of();
        }
        return List.of(OutboxEntry.event(live.build(), atMs));
    }

    @Override
    public List<StoreWrite> offline(String deviceId, long lastSeenMs, long atMs) {
        return List.of(OutboxEntry.event(UpstreamEvent.newBuilder()
                .setDeviceOffline(DeviceOffline.newBuilder().setDeviceId(deviceId).setLastSeenMs(lastSeenMs))
                .build(), atMs));
    }

    /**
     * A customer's data was erased: the chain should erase its copies (upstream.proto, {@code ErasureNotice}). Committed
     * in the erasure's own transaction, so the chain hears of every erasure the store made, and of no other.
     *
     * @param customerReference named only by its upstream pseudonym, as summaries name the customer
     * @param orderIds          the customer's orders the store held, named by their pseudonyms as pickup events do
     */
    public OutboxEntry erasure(String customerReference, List<String> orderIds, long atMs) {
        ErasureNotice.Builder notice = ErasureNotice.newBuilder()
                .setCustomerHash(pseudonyms.customer(customerReference));
        orderIds.forEach(id -> notice.addOrderHashes(pseudonyms.order(id)));
        return OutboxEntry.event(UpstreamEvent.newBuilder().setErasureNotice(notice).build(), atMs);
    }

    /** @param deviceId for a flood, the configured device that caused most of it; empty otherwise */
    public OutboxEntry storm(IngestStorm.Kind kind, long refused, int windowS, String deviceId, long atMs) {
        return OutboxEntry.event(UpstreamEvent.newBuilder()
                .setIngestStorm(IngestStorm.newBuilder().setKind(kind).setRefused(refused).setWindowS(windowS)
                        .setDeviceId(deviceId))
                .build(), atMs);
    }
}
