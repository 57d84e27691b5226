package io.floorgate.gateway.location;

import java.util.List;

/**
 * The way to a product.
 *
 * @param sku         as asked
 * @param productName as configured
 * @param productZone the zone where the product is
 * @param path        zone ids from the shopper's zone to the product's zone, both included; empty when the
 *                    shopper's zone is not known
 */
public record Route(String sku, String productName, String productZone, List<String> path) {

    public Route {
        path = List.copyOf(path);
    }
}
