package io.floorgate.gateway.location;

/**
 * Where a located shopper is.
 *
 * @param zoneId     a zone of the store configuration
 * @param sinceMs    when the shopper was decided to have entered it, epoch milliseconds
 * @param confidence 0..1, how clearly the receivers' readings favour this zone over the next best
 */
public record ShopperLocation(String zoneId, long sinceMs, double confidence) {
}
