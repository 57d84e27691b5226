package io.floorgate.sim.arrivals;

import io.floorgate.sim.play.RotatingAdvertiser;

/**
 * A checked-in shopper, with location consent, whose order is ready and linked, about to walk into the pickup zone.
 *
 * @param orderId    the order staff will be told about
 * @param advertiser the ids the shopper's phone advertises; not thread-safe, used on the arrivals' event loop only
 */
record ArrivingShopper(String orderId, RotatingAdvertiser advertiser) {
}
