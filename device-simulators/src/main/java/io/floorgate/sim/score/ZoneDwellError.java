package io.floorgate.sim.score;

/**
 * How well the gateway measured the time shoppers spent in one zone.
 *
 * @param zoneId        the zone
 * @param shoppers      shoppers who were in it, truly or by the gateway's account
 * @param meanTrueS     their mean true dwell, seconds
 * @param meanAbsErrorS mean of |dwell by the gateway − true dwell|, seconds
 */
public record ZoneDwellError(String zoneId, int shoppers, double meanTrueS, double meanAbsErrorS) {
}
