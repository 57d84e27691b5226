package io.floorgate.gateway.linking;

import java.nio.ByteBuffer;
import java.util.Optional;

import com.google.protobuf.ByteString;

/**
 * A 16-byte rotating advertising id as two longs: a map key with a cheap, well-spread hash (the bytes are
 * HMAC output, so any 64 bits of them are already uniform) and no array copy per lookup.
 */
public record AdvertisedId(long high, long low) {

    /** First 16 bytes of HMAC-SHA256(session key, slot): what shoppers' apps advertise. */
    public static final int BYTES = 16;

    /** Empty when the id is not 16 bytes long: then it is not a shopper app's id (another advertiser's). */
    public static Optional<AdvertisedId> of(ByteString id) {
        if (id.size() != BYTES) {
            return Optional.empty();
        }
        ByteBuffer buffer = id.asReadOnlyByteBuffer();
        return Optional.of(new AdvertisedId(buffer.getLong(), buffer.getLong()));
    }

    public static AdvertisedId of(byte[] id) {
        if (id.length < BYTES) {
            throw new IllegalArgumentException("an advertised id has " + BYTES + " bytes, got " + id.length);
        }
        ByteBuffer buffer = ByteBuffer.wrap(id);
        return new AdvertisedId(buffer.getLong(), buffer.getLong());
    }

    @Override
    public int hashCode() {
        return Long.hashCode(low);
    }
}
