package io.floorgate.sim.upstream;

import io.floorgate.proto.v1.OutboxBoundReached;
import io.floorgate.proto.v1.PickupArrived;
import io.floorgate.proto.v1.StoreSummary;
import io.floorgate.proto.v1.UpstreamEvent;
import io.floorgate.proto.v1.UpstreamMessage;

/** Upstream messages as a store's gateway sends them, for the consumer's tests. */
final class Envelopes {

    private Envelopes() {
    }

    /** A summary whose one-second window ends at {@code windowEndMs}. */
    static UpstreamMessage summary(String chain, String store, long seq, long windowEndMs) {
        return envelope(chain, store, seq, windowEndMs).setSummary(StoreSummary.newBuilder()
                .setWindowStartMs(windowEndMs - 1000).setWindowEndMs(windowEndMs)).build();
    }

    static UpstreamMessage event(String chain, String store, long seq) {
        return envelope(chain, store, seq, seq * 1000).setEvent(UpstreamEvent.newBuilder().setPickupArrived(
                PickupArrived.newBuilder().setPickupPointId("pickup-1").setSource("app"))).build();
    }

    /** The store's word that it dropped seqs firstDropped..lastDropped at its outbox's row bound. */
    static UpstreamMessage boundReached(String chain, String store, long seq, long firstDropped, long lastDropped) {
        return envelope(chain, store, seq, seq * 1000).setEvent(UpstreamEvent.newBuilder().setOutboxBoundReached(
                OutboxBoundReached.newBuilder().setBound("rows").setDropped(lastDropped - firstDropped + 1)
                        .setFirstDroppedSeq(firstDropped).setLastDroppedSeq(lastDropped))).build();
    }

    private static UpstreamMessage.Builder envelope(String chain, String store, long seq, long atMs) {
        return UpstreamMessage.newBuilder().setChainId(chain).setStoreId(store).setSeq(seq).setAtMs(atMs)
                .setGatewayVersion("0.1.0");
    }
}
