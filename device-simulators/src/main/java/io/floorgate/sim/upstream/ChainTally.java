package io.floorgate.sim.upstream;

import io.floorgate.proto.v1.UpstreamMessage;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every store of one chain, as the consumer has received them. The MQTT client's callback thread writes, the
 * table printer reads: every method is synchronized, and {@link #rows()} hands out snapshots.
 */
final class ChainTally {

    /** What became of one received message. */
    enum Receipt {
        /** First time this (store_id, seq): counted. */
        NEW,
        /** This (store_id, seq) was received before: dropped. */
        DUPLICATE,
        /** Not a message of this chain's contract (undecodable, wrong topic, no seq, no body): dropped. */
        INVALID
    }

    private final String chainId;
    private final Map<String, StoreTally> stores = new TreeMap<>();
    private long invalid;

    ChainTally(String chainId) {
        this.chainId = chainId;
    }

    /**
     * Counts a decoded message received on {@code topic}. The envelope must agree with its topic: the same chain
     * and store, a summary on /summaries and an event on /events; otherwise the key (store_id, seq) cannot be
     * trusted and the message is counted invalid.
     */
    synchronized Receipt accept(UpstreamTopic topic, UpstreamMessage message) {
        if (!agrees(topic, message)) {
            invalid++;
            return Receipt.INVALID;
        }
        return store(message.getStoreId()).accept(message) ? Receipt.NEW : Receipt.DUPLICATE;
    }

    /** A payload that did not decode as an UpstreamMessage, or a topic outside the contract. */
    synchronized void invalid() {
        invalid++;
    }

    synchronized void status(String storeId, String text) {
        store(storeId).status(text);
    }

    /** One row per store that has sent anything, ordered by store id. */
    synchronized List<StoreRow> rows() {
        return stores.values().stream().map(StoreTally::row).toList();
    }

    synchronized long invalidCount() {
        return invalid;
    }

    private boolean agrees(UpstreamTopic topic, UpstreamMessage message) {
        boolean bodyMatchesTopic = switch (message.getBodyCase()) {
            case SUMMARY -> topic.kind() == UpstreamTopic.Kind.SUMMARIES;
            case EVENT -> topic.kind() == UpstreamTopic.Kind.EVENTS;
            default -> false;
        };
        // seq is a uint64 in 1..2^63-1: 0 means unset, and a Java long reads anything above as negative
        return bodyMatchesTopic && message.getSeq() > 0 && chainId.equals(message.getChainId())
                && topic.chainId().equals(chainId) && topic.storeId().equals(message.getStoreId());
    }

    private StoreTally store(String storeId) {
        return stores.computeIfAbsent(storeId, StoreTally::new);
    }
}
