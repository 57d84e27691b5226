package io.floorgate.sim.upstream;

import com.google.protobuf.ByteString;
import io.floorgate.proto.v1.ShopperRecord;
import io.floorgate.proto.v1.StoreSummary;
import io.floorgate.proto.v1.UpstreamMessage;
import java.util.SplittableRandom;

/**
 * The benchmark's messages: a {@link StoreSummary} serialized to exactly the requested size (an outbox row's body),
 * and the envelope the gateway would send for it. The size is made up by one consenting shopper's record whose
 * hash is random bytes, as an HMAC is: a body of repeated characters would let H2 compress what real summaries'
 * hashes do not allow, and the bytes-per-message figure would flatter the outbox.
 */
final class BenchBodies {

    /** The envelope's gateway_version, as a 0.x gateway spells it. */
    static final String GATEWAY_VERSION = "0.1.0";
    private static final long WINDOW_MS = 60_000;
    /** Windows end after this, so every body's varints have the same length. */
    private static final long EPOCH_MS = 1_764_633_600_000L;

    private final int bodyBytes;
    private final int paddingBytes;

    BenchBodies(int bodyBytes) {
        this.bodyBytes = bodyBytes;
        int empty = summary(1, 0).getSerializedSize();
        if (bodyBytes < empty) {
            throw new IllegalArgumentException("a body of " + bodyBytes + " bytes is below the smallest summary ("
                    + empty + " bytes)");
        }
        // a longer hash can lengthen its own length prefix by a byte: take the longest that fits
        int padding = bodyBytes - empty;
        while (padding > 0 && summary(1, padding).getSerializedSize() > bodyBytes) {
            padding--;
        }
        if (summary(1, padding).getSerializedSize() != bodyBytes) {
            throw new IllegalArgumentException("no summary serializes to exactly " + bodyBytes + " bytes");
        }
        this.paddingBytes = padding;
    }

    int bodyBytes() {
        return bodyBytes;
    }

    /** The n-th summary (n from 1), exactly {@link #bodyBytes()} long. */
    StoreSummary summary(long n) {
        return summary(n, paddingBytes);
    }

    /** What the gateway sends for the n-th summary with seq n. */
    UpstreamMessage envelope(String chainId, String storeId, long n) {
        StoreSummary s = summary(n);
        return UpstreamMessage.newBuilder().setChainId(chainId).setStoreId(storeId).setSeq(n)
                .setAtMs(s.getWindowEndMs()).setGatewayVersion(GATEWAY_VERSION).setSummary(s).build();
    }

    private static StoreSummary summary(long n, int paddingBytes) {
        long end = EPOCH_MS + n * WINDOW_MS;
        byte[] hash = new byte[paddingBytes];
        new SplittableRandom(n).nextBytes(hash);
        return StoreSummary.newBuilder().setWindowStartMs(end - WINDOW_MS).setWindowEndMs(end)
                .addShoppers(ShopperRecord.newBuilder().setShopperHash(ByteString.copyFrom(hash))).build();
    }
}
