package io.floorgate.gateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

class PseudonymsTest {

    private static final String KEY = "the-store-key-0123456789";

    private final Pseudonyms pseudonyms = new Pseudonyms(KEY);

    @Test
    void customer_isTheHmacSha256OfTheDomainAndTheIdentifierWithTheStoreKey() throws Exception {
        assertThat(pseudonyms.customer("c-42")).isEqualTo(hmac(KEY, "customer:c-42"));
        assertThat(pseudonyms.session("s-1")).isEqualTo(hmac(KEY, "session:s-1"));
        assertThat(pseudonyms.order("o-7")).isEqualTo(hmac(KEY, "order:o-7"));
    }

    @Test
    void hashes_whenTheSameTextIsACustomerAnOrderAndASession_thenAllThreeDiffer() {
        assertThat(pseudonyms.customer("x")).isNotEqualTo(pseudonyms.order("x"))
                .isNotEqualTo(pseudonyms.session("x"));
        assertThat(pseudonyms.order("x")).isNotEqualTo(pseudonyms.session("x"));
    }

    @Test
    void customer_whenAnotherStoreHashesTheSameReference_thenItsHashDiffers() {
        assertThat(new Pseudonyms("another-store-key-9876543").customer("c-42"))
                .isNotEqualTo(pseudonyms.customer("c-42"));
    }


    private static ByteString hmac(String key, String text) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return ByteString.copyFrom(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }
}
