package io.floorgate.gateway.pickup;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import io.floorgate.gateway.linking.CustomerHash;

/**
 * A pickup order as the pickup stage holds it. Immutable: each step makes a new one.
 *
 * @param id            the order system's id
 * @param customer      whose order it is, as the keyed hash of the reference the order system sent; a session of
 *                      the same customer may link it
 * @param pickupPointId where it is handed off (a configured pickup point)
 * @param code          the code the shopper enters at a kiosk or presents by NFC at the counter
 * @param sessionId     the shopper session it is linked to, once linked
 * @param etaMinutes    what the shopper said when on the way, if anything
 */
public record Order(String id, CustomerHash customer, String pickupPointId, String code, OrderState state,
                    Optional<String> sessionId, OptionalInt etaMinutes, long readyAtMs, OptionalLong onTheWayAtMs,
                    OptionalLong arrivedAtMs, OptionalLong handedOffAtMs) {

    static Order ready(String id, CustomerHash customer, String pickupPointId, String code, long atMs) {
        return new Order(id, customer, pickupPointId, code, OrderState.READY, Optional.empty(), OptionalInt.empty(),
                atMs, OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty());
    }

    Order linkedTo(String session) {
        return new Order(id, customer, pickupPointId, code, state, Optional.of(session), etaMinutes, readyAtMs,
                onTheWayAtMs, arrivedAtMs, handedOffAtMs);
    }

    Order onTheWay(OptionalInt eta, long atMs) {
        return new Order(id, customer, pickupPointId, code, OrderState.ON_THE_WAY, sessionId, eta, readyAtMs,
                OptionalLong.of(atMs), arrivedAtMs, handedOffAtMs);
    }

    Order arrived(long atMs) {
        return new Order(id, customer, pickupPointId, code, OrderState.ARRIVED, sessionId, etaMinutes, readyAtMs,
                onTheWayAtMs, OptionalLong.of(atMs), handedOffAtMs);
    }

    Order handedOff(long atMs) {
        return new Order(id, customer, pickupPointId, code, OrderState.HANDED_OFF, sessionId, etaMinutes,
                readyAtMs, onTheWayAtMs, arrivedAtMs, OptionalLong.of(atMs));
    }

    /** Arrival to hand-off, or arrival to now while the shopper still waits; 0 before arrival. */
    public long waitMs(long nowMs) {
        if (arrivedAtMs.isEmpty()) {
            return 0;
        }
        return handedOffAtMs.orElse(nowMs) - arrivedAtMs.getAsLong();
    }
}
