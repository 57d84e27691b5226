package io.floorgate.gateway.upstream;

import java.util.Optional;

import com.google.protobuf.CodedOutputStream;
import io.floorgate.proto.v1.UpstreamMessage;

/**
 * Wraps an outbox row in the {@link UpstreamMessage} envelope and names its topic:
 * {@code retail/{chain}/stores/{store}/summaries}, {@code .../events} and {@code .../status}.
 *
 * <p>The row's body is already the serialized summary or event, and protobuf writes an embedded message as a
 * length-delimited field; so the envelope is its header fields followed by the body under field 10 or 11, byte for
 * byte what {@code setSummary(parse(body))} would write, without parsing and re-serializing every message.
 */
final class Envelopes {

    /** When the gateway does not run from its jar (tests, an IDE), the manifest holds no version. */
    static final String UNPACKAGED_VERSION = "development";

    private final String chainId;
    private final String storeId;
    private final String version;
    private final String prefix;

    Envelopes(String chainId, String storeId) {
        this.chainId = chainId;
        this.storeId = storeId;
        this.version = Optional.ofNullable(Envelopes.class.getPackage().getImplementationVersion())
                .orElse(UNPACKAGED_VERSION);
        this.prefix = "retail/" + chainId + "/stores/" + storeId + "/";
    }

    byte[] of(OutboxRow row) {
        UpstreamMessage header = UpstreamMessage.newBuilder().setChainId(chainId).setStoreId(storeId)
                .setSeq(row.seq()).setAtMs(row.atMs()).setGatewayVersion(version).build();
        int field = row.priority() == OutboxPriority.EVENT
                ? UpstreamMessage.EVENT_FIELD_NUMBER
                : UpstreamMessage.SUMMARY_FIELD_NUMBER;
        byte[] out = new byte[header.getSerializedSize() + CodedOutputStream.computeByteArraySize(field, row.body())];
        CodedOutputStream stream = CodedOutputStream.newInstance(out);
        try {
            header.writeTo(stream);
            stream.writeByteArray(field, row.body());
            stream.checkNoSpaceLeft();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("an envelope did not fit the size protobuf computed for it", e);
        }
        return out;
    }

    String topicOf(OutboxPriority priority) {
        return prefix + (priority == OutboxPriority.EVENT ? "events" : "summaries");
    }

    String statusTopic() {
        return prefix + "status";
    }

    String version() {
        return version;
    }
}
