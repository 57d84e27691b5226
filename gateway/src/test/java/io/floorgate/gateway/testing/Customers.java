package io.floorgate.gateway.testing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import com.google.protobuf.ByteString;
import io.floorgate.gateway.linking.Customer;
import io.floorgate.gateway.linking.CustomerHash;
import io.floorgate.gateway.upstream.Pseudonyms;

/**
 * Customers for stage tests that run without a gateway, and so without its local key: a stand-in hash (SHA-256 of
 * the reference) that is equal for equal references, which is all the stages compare.
 */
public final class Customers {

    private Customers() {
    }

    public static CustomerHash hash(String reference) {
        try {
            return new CustomerHash(ByteString.copyFrom(MessageDigest.getInstance("SHA-256")
                    .digest(reference.getBytes(StandardCharsets.UTF_8))));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** With the customer's upstream pseudonym as the gateway computes it at check-in. */
    public static Customer customer(String reference, Pseudonyms upstream) {
        return new Customer(hash(reference), upstream.customer(reference));
    }
}
