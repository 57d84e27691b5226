package io.floorgate.config;

/** A product mapped to the zone where shoppers find it. */
public record Product(String sku, String name, String zone) {
}
