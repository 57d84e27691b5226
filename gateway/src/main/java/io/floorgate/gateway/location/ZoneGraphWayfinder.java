package io.floorgate.gateway.location;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.floorgate.config.Product;
import io.floorgate.config.StoreConfig;
import io.floorgate.config.Zone;

/**
 * Shortest routes over the store's zone adjacency: breadth-first search, fewest zones walked through.
 * Hops rather than distances between zone centres: a shopper follows the zones (the app shows "main aisle,
 * then aisle 3"), and centres mislead for long thin zones (the main aisle's centre is 30 m from its ends),
 * so a distance-weighted route would be no truer. Ties go to the neighbour listed first in the configuration.
 *
 * <p>Immutable, built once per configuration; any thread.
 */
public final class ZoneGraphWayfinder implements Wayfinder {

    private final Map<String, List<String>> adjacent;
    private final Map<String, Product> productsBySku;

    public ZoneGraphWayfinder(StoreConfig config) {
        this.adjacent = config.zones().stream().collect(Collectors.toUnmodifiableMap(Zone::id, Zone::adjacent));
        this.productsBySku = config.products().stream()
                .collect(Collectors.toUnmodifiableMap(Product::sku, Function.identity()));
    }

    @Override
    public Optional<Route> route(String sku, Optional<String> fromZone) {
        Product product = productsBySku.get(sku);
        if (product == null) {
            return Optional.empty();
        }
        List<String> path = fromZone.map(from -> shortestPath(from, product.zone())).orElse(List.of());
        return Optional.of(new Route(sku, product.name(), product.zone(), path));
    }

    /** Zone ids from {@code from} to {@code to}, both included; empty when {@code from} is unknown or cut off. */
    List<String> shortestPath(String from, String to) {
        if (!adjacent.containsKey(from)) {
            return List.of();
        }
        Map<String, String> cameFrom = new HashMap<>();
        cameFrom.put(from, from);
        Deque<String> frontier = new ArrayDeque<>(List.of(from));
        while (!frontier.isEmpty()) {
            String zone = frontier.poll();
            if (zone.equals(to)) {
                return pathTo(to, cameFrom);
            }
            for (String next : adjacent.getOrDefault(zone, List.of())) {
                if (cameFrom.putIfAbsent(next, zone) == null) {
                    frontier.add(next);
                }
            }
        }
        return List.of();
    }

    private static List<String> pathTo(String to, Map<String, String> cameFrom) {
        List<String> path = new ArrayList<>();
        for (String zone = to; ; zone = cameFrom.get(zone)) {
            path.add(zone);
            if (cameFrom.get(zone).equals(zone)) {
                break;
            }
        }
        Collections.reverse(path);
        return path;
    }
}
