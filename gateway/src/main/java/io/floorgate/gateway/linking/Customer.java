package io.floorgate.gateway.linking;

import com.google.protobuf.ByteString;

/**
 * The customer a session was checked in as, computed from the reference at check-in; the reference itself is not
 * kept.
 *
 * @param hash      the local keyed hash that orders are matched on, stored with the session
 * @param pseudonym the customer as the chain knows them (upstream {@code Pseudonyms.customer}): what summaries carry.
 *                  Stored while the session is open, so a restored session is still the same shopper to the chain;
 *                  cleared when it ends
 */
public record Customer(CustomerHash hash, ByteString pseudonym) {

    @Override
    public String toString() {
        return "Customer[" + hash.label() + "]";
    }
}
