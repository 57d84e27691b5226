package io.floorgate.sim.upstream;

import io.floorgate.proto.v1.StoreSummary;
import io.floorgate.proto.v1.UpstreamMessage;
import io.floorgate.proto.v1.ZoneSummary;

/**
 * The benchmark's messages: a {@link StoreSummary} serialized to exactly the requested size (an outbox row's body),
 * and the envelope the gateway would send for it. Each body differs (its window), as real summaries do.
 */
final class BenchBodies {

    /** The envelope's gateway_version, as a 0.x gateway spells it. */
    static final String GATEWAY_VERSION = "0.1.0";
    private static final long WINDOW_MS = 60_000;
    /** Windows end after this, so every body's varints have the same length. */
    private static final long EPOCH_MS = 1_764_633_600_000L;

    private final int bodyBytes;
    private final int paddingChars;

    BenchBodies(int bodyBytes) {
        this.bodyBytes = bodyBytes;
        int empty = summary(1, 0).getSerializedSize();
        if (bodyBytes < empty) {
            throw new IllegalArgumentException("a body of " + bodyBytes + " bytes is below the smallest summary ("
                    + empty + " bytes)");
        }
        // a longer zone id can lengthen its own length prefix by a byte: take the longest that fits
        int padding = bodyBytes - empty;
        while (padding > 0 && summary(1, padding).getSerializedSize() > bodyBytes) {
            padding--;
        }
        if (summary(1, padding).getSerializedSize() != bodyBytes) {
            throw new IllegalArgumentException("no summary serializes to exactly " + bodyBytes + " bytes");
        }
        this.paddingChars = padding;
    }

    int bodyBytes() {
        return bodyBytes;
    }

    /** The n-th summary (n from 1), exactly {@link #bodyBytes()} long. */
    StoreSummary summary(long n) {
        return summary(n, paddingChars);
    }

    /** What the gateway sends for the n-th summary with seq n. */
    UpstreamMessage envelope(String chainId, String storeId, long n) {
        StoreSummary s = summary(n);
        return UpstreamMessage.newBuilder().setChainId(chainId).setStoreId(storeId).setSeq(n)
                .setAtMs(s.getWindowEndMs()).setGatewayVersion(GATEWAY_VERSION).setSummary(s).build();
    }

    private static StoreSummary summary(long n, int paddingChars) {
        long end = EPOCH_MS + n * WINDOW_MS;
        return StoreSummary.newBuilder().setWindowStartMs(end - WINDOW_MS).setWindowEndMs(end)
                .addZones(ZoneSummary.newBuilder().setZoneId("z".repeat(paddingChars))).build();
    }
}
