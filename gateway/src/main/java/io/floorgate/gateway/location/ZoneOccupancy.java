package io.floorgate.gateway.location;

/**
 * How many people a zone holds now.
 *
 * @param linked    checked-in shoppers with location consent located in the zone
 * @param anonymous advertisers heard in the zone that resolve to no session (nothing is kept per id)
 */
public record ZoneOccupancy(int linked, int anonymous) {
}
