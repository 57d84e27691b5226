package io.floorgate.sim.upstream;

import java.util.List;
import java.util.Optional;

/**
 * A topic of the upstream contract (upstream.proto): {@code retail/{chain}/stores/{store}/{kind}}.
 *
 * @param kind summaries, events or status
 */
record UpstreamTopic(String chainId, String storeId, Kind kind) {

    enum Kind {
        SUMMARIES, EVENTS, STATUS;

        String segment() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** What a consumer of one chain subscribes to: every store's three topics. */
    static List<String> filters(String chainId) {
        return java.util.Arrays.stream(Kind.values()).map(k -> "retail/" + chainId + "/stores/+/" + k.segment()).toList();
    }

    static Optional<UpstreamTopic> parse(String topic) {
        String[] levels = topic.split("/", -1);
        if (levels.length != 5 || !levels[0].equals("retail") || !levels[2].equals("stores")) {
            return Optional.empty();
        }
        for (Kind kind : Kind.values()) {
            if (kind.segment().equals(levels[4])) {
                return Optional.of(new UpstreamTopic(levels[1], levels[3], kind));
            }
        }
        return Optional.empty();
    }

    String name() {
        return "retail/" + chainId + "/stores/" + storeId + "/" + kind.segment();
    }
}
