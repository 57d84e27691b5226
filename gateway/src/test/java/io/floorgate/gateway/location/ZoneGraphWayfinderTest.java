package io.floorgate.gateway.location;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import io.floorgate.config.StoreConfigLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ZoneGraphWayfinderTest {

    private static ZoneGraphWayfinder demo;

    @BeforeAll
    static void loadDemoStore() throws Exception {
        demo = new ZoneGraphWayfinder(StoreConfigLoader.loadDemo());
    }

    @Test
    void route_fromEntranceToTrailRunners_thenGoesThroughTheMainAisle() {
        assertThat(demo.route("SKU-1001", Optional.of("entrance"))).contains(
                new Route("SKU-1001", "Trail runner", "aisle-3", List.of("entrance", "main-aisle", "aisle-3")));
    }

    @Test
    void route_fromOneAisleToAnother_thenTakesTheShortestOfMainAndBackAisle() {
        assertThat(demo.route("SKU-1006", Optional.of("aisle-1")).orElseThrow().path())
                .hasSize(3).startsWith("aisle-1").endsWith("aisle-4");
    }

    @Test
    void route_fromStockroomToFootwear_thenCrossesTheBackOfTheStore() {
        assertThat(demo.route("SKU-1002", Optional.of("stockroom")).orElseThrow().path())
                .containsExactly("stockroom", "back-aisle", "aisle-5", "footwear");
    }

    @Test
    void route_whenShopperIsAlreadyInTheProductsZone_thenPathIsThatZoneAlone() {
        assertThat(demo.route("SKU-1001", Optional.of("aisle-3")).orElseThrow().path()).containsExactly("aisle-3");
    }

    @Test
    void route_whenShoppersZoneIsUnknown_thenProductZoneButNoPath() {
        Route route = demo.route("SKU-1007", Optional.empty()).orElseThrow();

        assertThat(route.productZone()).isEqualTo("footwear");
        assertThat(route.path()).isEmpty();
        assertThat(demo.route("SKU-1007", Optional.of("no-such-zone")).orElseThrow().path()).isEmpty();
    }

    @Test
    void route_whenSkuIsUnknown_thenEmpty() {
        assertThat(demo.route("SKU-0000", Optional.of("entrance"))).isEmpty();
    }
}
