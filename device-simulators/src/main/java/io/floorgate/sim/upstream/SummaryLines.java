package io.floorgate.sim.upstream;

import java.io.PrintWriter;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

import io.floorgate.proto.v1.StoreSummary;
import io.floorgate.proto.v1.UpstreamMessage;
import io.floorgate.proto.v1.ZoneSummary;

/**
 * The demo's view of the chain side: one line for each store summary that reaches the upstream broker, as a chain's
 * consumer decodes it. A clean session of its own, summaries only; the full consumer is {@code floorgate-sim upstream}.
 */
public final class SummaryLines implements AutoCloseable {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private final UpstreamSubscriber subscriber;

    private SummaryLines(UpstreamSubscriber subscriber) {
        this.subscriber = subscriber;
    }

    /** Subscribes to the chain's summaries on {@code broker}; throws when the broker cannot be reached. */
    public static SummaryLines print(URI broker, String chainId, PrintWriter out) throws Exception {
        UpstreamSubscriber.Options options = new UpstreamSubscriber.Options(broker, MqttProtocol.MQTT5,
                "floorgate-demo-" + chainId, true, UpstreamTopic.filters(chainId));
        return new SummaryLines(UpstreamSubscriber.connect(options, (topic, payload) -> {
            Optional<UpstreamTopic> parsed = UpstreamTopic.parse(topic);
            if (parsed.isEmpty() || parsed.get().kind() != UpstreamTopic.Kind.SUMMARIES) {
                return;
            }
            UpstreamMessage message = UpstreamMessage.parseFrom(payload);
            synchronized (out) {
                out.println(line(message));
                out.flush();
            }
        }));
    }

    static String line(UpstreamMessage message) {
        StoreSummary s = message.getSummary();
        int linkedPeak = s.getZonesList().stream().mapToInt(ZoneSummary::getLinkedPeak).sum();
        int entries = s.getZonesList().stream().mapToInt(ZoneSummary::getEntries).sum();
        return String.format(Locale.ROOT, "upstream: summary seq %d of store %s for %s-%s went up: %d zone entries,"
                        + " linked peaks %d, pickups ready/arrived/handed off %d/%d/%d, kiosk feedback %d,"
                        + " devices online %d of %d, %d consenting shopper record(s)",
                message.getSeq(), message.getStoreId(), TIME.format(Instant.ofEpochMilli(s.getWindowStartMs())),
                TIME.format(Instant.ofEpochMilli(s.getWindowEndMs())), entries, linkedPeak, s.getPickup().getReady(),
                s.getPickup().getArrived(), s.getPickup().getHandedOff(), s.getKiosks().getFeedback(),
                s.getDevices().getOnline(), s.getDevices().getOnline() + s.getDevices().getOffline(),
                s.getShoppersCount());
    }

    @Override
    public void close() throws Exception {
        subscriber.close();
    }
}
