package io.floorgate.sim.upstream;

import com.google.protobuf.InvalidProtocolBufferException;
import io.floorgate.proto.v1.UpstreamMessage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The chain's side of the upstream contract, for one chain: each message received on
 * {@code retail/{chain}/stores/+/summaries|events|status} is decoded, counted once per (store_id, seq) in a
 * {@link ChainTally}, and written to the JSON lines when there are any. This is all a consumer needs; a real one
 * would store the new messages where {@link #arrived} counts them, in the same step as it remembers the key.
 *
 * <p>Runs on the MQTT client's callback thread; {@link #rows()} may be read from any thread.
 */
final class UpstreamConsumer implements UpstreamSubscriber.Delivery {

    private final ChainTally tally;
    private final Optional<JsonLines> json;
    private final Clock clock;

    UpstreamConsumer(String chainId, Optional<JsonLines> json, Clock clock) {
        this.tally = new ChainTally(chainId);
        this.json = json;
        this.clock = clock;
    }

    @Override
    public void arrived(String topicName, byte[] payload) {
        long now = clock.millis();
        Optional<UpstreamTopic> topic = UpstreamTopic.parse(topicName);
        if (topic.isEmpty()) {
            tally.invalid();
            json.ifPresent(j -> j.invalid(topicName, now, "not a topic of the upstream contract"));
            return;
        }
        if (topic.get().kind() == UpstreamTopic.Kind.STATUS) {
            String status = new String(payload, StandardCharsets.UTF_8);
            tally.status(topic.get().storeId(), status);
            json.ifPresent(j -> j.status(topicName, now, status));
            return;
        }
        UpstreamMessage message;
        try {
            message = UpstreamMessage.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            tally.invalid();
            json.ifPresent(j -> j.invalid(topicName, now, "not an UpstreamMessage: " + e.getMessage()));
            return;
        }
        ChainTally.Receipt receipt = tally.accept(topic.get(), message);
        json.ifPresent(j -> j.message(topicName, now, receipt, message));
    }

    List<StoreRow> rows() {
        return tally.rows();
    }

    long invalidCount() {
        return tally.invalidCount();
    }
}
