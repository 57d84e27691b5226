package io.floorgate.gateway.linking;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

import com.google.protobuf.ByteString;
import io.floorgate.config.Device;
import io.floorgate.proto.v1.DeviceEvent;
import io.floorgate.proto.v1.KioskInteraction;
import io.floorgate.proto.v1.NfcTap;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Links NFC taps and kiosk interactions to shoppers' sessions. A tap carrying a session token
 * ({@code TOKEN_KIND_SESSION}) or a kiosk session scan is resolved through {@link TouchTokens}; a scan starts a kiosk
 * session, and the product lookups at that kiosk during it, and the feedback of shoppers with analytics consent,
 * are linked too. A token that resolves to no open session is counted and dropped.
 *
 * <p>In three steps, so that what is acknowledged is what is committed: ingest asks {@link #classify} (one lookup,
 * no side effect) before it queues the event, says {@link #accepted} once the rows are queued (the kiosk session
 * starts at once, so the next interaction at that kiosk is already the shopper's) and {@link #committed} once they
 * are durable, which tells the {@link TouchListener}s.
 *
 * <p>Location consent: a touch links for every open session, but a shopper without location consent gets no zone
 * recorded with it, and nothing of it reaches the location stage.
 *
 * <p>Threads: every method is called on an ingest event loop and never blocks.
 */
public final class TouchLinker {

    private static final Logger LOG = LoggerFactory.getLogger(TouchLinker.class);

    /** How long after a scan a kiosk's interactions are the scanning shopper's: a few screens, not the next person. */
    public static final Duration KIOSK_SESSION = Duration.ofMinutes(2);

    private final SessionDirectory sessions;
    private final TouchTokens tokens;
    private final KioskSessions kiosks = new KioskSessions(KIOSK_SESSION.toMillis());
    private final List<TouchListener> listeners = new CopyOnWriteArrayList<>();
    private final Counter linked;
    private final Counter unknown;

    public TouchLinker(SessionDirectory sessions, LongSupplier clockMs, MeterRegistry metrics) {
        this.sessions = sessions;
        this.tokens = new TouchTokens(clockMs);
        this.linked = touches(metrics, "linked");
        this.unknown = touches(metrics, "unknown");
    }

    private static Counter touches(MeterRegistry metrics, String result) {
        return Counter.builder("floorgate.linking.touches").tag("result", result)
                .description("NFC taps and kiosk scans carrying a session token, by whether it resolved to an open"
                        + " session").register(metrics);
    }

    /** Subscribes to the directory and takes in the sessions already open; call once sessions are restored. */
    public void attach() {
        sessions.subscribe(tokens);
        sessions.subscribe(kiosks);
        sessions.active().forEach(tokens::started);
    }

    public void subscribe(TouchListener listener) {
        listeners.add(listener);
    }

    /** Rolls the tokens at slot boundaries; on a worker, with the BLE ids. */
    public void refresh() {
        tokens.refresh();
    }

    /**
     * What the event means for linking. Changes nothing (beyond forgetting a kiosk session that is over), so a message
     * held back and tried again is simply classified again.
     */
    public TouchOutcome classify(Device device, DeviceEvent event, long receivedAtMs) {
        if (event.hasNfcTap() && event.getNfcTap().getKind() == NfcTap.TokenKind.TOKEN_KIND_SESSION) {
            return byToken(event.getNfcTap().getToken(), TouchKind.NFC_TAP, device, event, receivedAtMs);
        }
        if (!event.hasKioskInteraction()) {
            return new TouchOutcome.NotATouch();
        }
        KioskInteraction interaction = event.getKioskInteraction();
        return switch (interaction.getActionCase()) {
            case SESSION_SCAN -> byToken(interaction.getSessionScan().getSessionToken(), TouchKind.KIOSK_SCAN, device,
                    event, receivedAtMs);
            case PRODUCT_LOOKUP -> inKioskSession(TouchKind.PRODUCT_LOOKUP, device, event, receivedAtMs);
            case FEEDBACK -> inKioskSession(TouchKind.FEEDBACK, device, event, receivedAtMs);
            case PICKUP_CHECK_IN, ACTION_NOT_SET -> new TouchOutcome.NotATouch();
        };
    }

    /** The touch's rows are queued: counts it, and a scan starts its kiosk session now. */
    public void accepted(Touch touch) {
        if (touch.kind() == TouchKind.KIOSK_SCAN) {
            sessions.find(touch.sessionId()).ifPresent(s -> kiosks.start(touch.deviceId(), s, touch.atMs()));
        }
        if (touch.kind().presentedToken()) {
            linked.increment();
        }
        LOG.debug("{} at {} linked to session {}", touch.kind().label(), touch.deviceId(), touch.sessionId());
    }

    /** A token of no open session was dropped. */
    public void dropped() {
        unknown.increment();
    }

    /** The touch's rows are committed: tells the listeners. */
    public void committed(Touch touch) {
        listeners.forEach(l -> l.touched(touch));
    }

    private TouchOutcome byToken(ByteString token, TouchKind kind, Device device, DeviceEvent event, long atMs) {
        Optional<ShopperSession> session = tokens.resolve(token).flatMap(sessions::find);
        return session.<TouchOutcome>map(s -> new TouchOutcome.Linked(touch(s, kind, device, event, atMs)))
                .orElseGet(TouchOutcome.UnknownToken::new);
    }

    /** Feedback is linked only for a shopper with analytics consent; without it, it stays anonymous. */
    private TouchOutcome inKioskSession(TouchKind kind, Device device, DeviceEvent event, long atMs) {
        return kiosks.at(device.id(), atMs)
                .filter(s -> kind != TouchKind.FEEDBACK || s.analyticsConsent())
                .<TouchOutcome>map(s -> new TouchOutcome.Linked(touch(s, kind, device, event, atMs)))
                .orElseGet(TouchOutcome.NotATouch::new);
    }

    private static Touch touch(ShopperSession session, TouchKind kind, Device device, DeviceEvent event, long atMs) {
        return new Touch(session.id(), device.id(), device.zone(), session.locationConsent(), kind, event.getBootId(),
                event.getSeq(), atMs);
    }
}
