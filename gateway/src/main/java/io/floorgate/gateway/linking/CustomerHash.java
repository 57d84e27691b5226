package io.floorgate.gateway.linking;

import java.util.HexFormat;

import com.google.protobuf.ByteString;

/**
 * A customer reference as the gateway keeps and matches it: HMAC-SHA-256 with the gateway's local key (see
 * {@code privacy/CustomerKeys}), never the reference itself. Two equal references hash alike, so sessions and orders
 * still find each other; a copy of the database names nobody, and without the local key no guessed reference can be
 * tested against it.
 *
 * @param value the 32 bytes of the HMAC
 */
public record CustomerHash(ByteString value) {

    /** Bytes of the hash shown as {@link #label()}: enough to tell a store's waiting orders apart, too few to follow. */
    private static final int LABEL_BYTES = 3;

    public CustomerHash {
        if (value.size() != 32) {
            throw new IllegalArgumentException("a customer hash is 32 bytes, not " + value.size());
        }
    }

    public static CustomerHash of(byte[] bytes) {
        return new CustomerHash(ByteString.copyFrom(bytes));
    }

    public byte[] bytes() {
        return value.toByteArray();
    }

    /**
     * What staff and order answers show for the customer: a short tag of the hash ("c-3fa2b1"), which tells orders of
     * different customers apart in the queue but names nobody, instead of the reference the order system sent.
     */
    public String label() {
        return "c-" + HexFormat.of().formatHex(value.substring(0, LABEL_BYTES).toByteArray());
    }

    @Override
    public String toString() {
        return "CustomerHash[" + label() + "]";
    }
}
