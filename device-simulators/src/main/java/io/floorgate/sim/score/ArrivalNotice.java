package io.floorgate.sim.score;

/**
 * One {@code arrival} message of the staff stream, as staff saw it.
 *
 * @param epochMs when it arrived: the moment staff knew
 * @param orderId the order
 * @param source  how the gateway knew: {@code app}, {@code zone} or {@code kiosk}
 */
public record ArrivalNotice(long epochMs, String orderId, String source) {
}
