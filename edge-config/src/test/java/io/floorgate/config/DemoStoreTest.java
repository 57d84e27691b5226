package io.floorgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DemoStoreTest {

    private static StoreConfig demo;

    @BeforeAll
    static void loadDemo() throws Exception {
        demo = StoreConfigLoader.loadDemo();
    }

    @Test
    void loadDemo_thenIsAMidSizeStoreWithAtLeastTwelveZones() {
        assertThat(demo.storeId()).isEqualTo("demo-001");
        assertThat(demo.chainId()).isEqualTo("acme");
        assertThat(demo.floorPlan()).isEqualTo(new FloorPlan(60, 40));
        assertThat(demo.zones()).hasSizeGreaterThanOrEqualTo(12);
        assertThat(demo.zones()).extracting(Zone::kind)
                .contains(ZoneKind.ENTRANCE, ZoneKind.AISLE, ZoneKind.FITTING_ROOM, ZoneKind.PICKUP,
                        ZoneKind.CHECKOUT, ZoneKind.SERVICE);
        assertThat(demo.source()).isEqualTo(Path.of(StoreConfigLoader.DEMO_RESOURCE));
    }

    @Test
    void loadDemo_thenZonesTileTheFloorWithoutOverlap() {
        // Sample the floor every half metre, off the zone edges, where "contains" is exact.
        for (double x = 0.25; x < 60; x += 0.5) {
            for (double y = 0.25; y < 40; y += 0.5) {
                Point p = new Point(x, y);
                assertThat(demo.zones().stream().filter(z -> z.contains(p)).count())
                        .as("zones containing %s", p).isEqualTo(1);
            }
        }
    }

    @Test
    void loadDemo_thenEveryZoneHasAtLeastTwoBleReceiversInsideIt() {
        List<Device> receivers = devicesOf(DeviceKind.BLE_RECEIVER);
        assertThat(receivers).hasSizeGreaterThanOrEqualTo(30);
        for (Zone zone : demo.zones()) {
            assertThat(receivers.stream()
                    .filter(d -> d.zone().equals(zone.id()) && zone.contains(d.position())).count())
                    .as("receivers inside %s", zone.id()).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void loadDemo_thenHasFourNfcReadersOneAtThePickupCounterAndThreeKiosks() {
        assertThat(devicesOf(DeviceKind.NFC_READER)).hasSize(4);
        assertThat(devicesOf(DeviceKind.KIOSK)).hasSize(3);
        Device pickupReader = demo.device("nfc-pickup").orElseThrow();
        assertThat(demo.zone(pickupReader.zone()).orElseThrow().kind()).isEqualTo(ZoneKind.PICKUP);
        assertThat(demo.device("kiosk-entrance")).isPresent();
        assertThat(demo.pickup().serviceLevel()).isEqualTo(Duration.ofMinutes(5));
        assertThat(demo.pickup().points()).containsExactly(new Pickup.PickupPoint("counter-1", "pickup", "nfc-pickup"));
    }

    @Test
    void loadDemo_thenAtLeastFortyProductsAreMappedToExistingZones() {
        assertThat(demo.products()).hasSizeGreaterThanOrEqualTo(40);
        assertThat(demo.products()).allSatisfy(p -> assertThat(demo.zone(p.zone())).isPresent());
        assertThat(demo.products()).anyMatch(p -> p.sku().equals("SKU-1001") && p.zone().equals("aisle-3"));
    }

    @Test
    void loadDemo_thenAdjacencyIsSymmetricAndEveryZoneIsReachableFromTheEntrance() {
        Map<String, Zone> zones = demo.zones().stream().collect(Collectors.toMap(Zone::id, z -> z));
        for (Zone zone : demo.zones()) {
            for (String other : zone.adjacent()) {
                assertThat(zones.get(other).adjacent()).as("%s lists %s", other, zone.id()).contains(zone.id());
            }
        }
        Set<String> reached = new HashSet<>(List.of("entrance"));
        Deque<String> todo = new ArrayDeque<>(reached);
        while (!todo.isEmpty()) {
            zones.get(todo.pop()).adjacent().stream().filter(reached::add).forEach(todo::push);
        }
        assertThat(reached).containsExactlyInAnyOrderElementsOf(zones.keySet());
    }

    @Test
    void loadDemo_thenLimitsAndIngestAreAtTheirDefaultsAndThereIsNoUplink() {
        assertThat(demo.limits()).isEqualTo(new Limits(16384, 50, 200, 20000));
        assertThat(demo.ingest()).isEqualTo(new Ingest(Duration.ofMillis(2), 1000, 20000));
        assertThat(demo.listeners()).isEqualTo(new Listeners("0.0.0.0", 1883, 8080, Optional.empty()));
        assertThat(demo.upstream().brokerUri()).isEmpty();
        assertThat(demo.upstream().clientId()).isEqualTo("floorgate-demo-001");
    }

    @Test
    void loadDemo_thenHasOneStaffAccountPerRoleWithTheDefaultSessionSettings() {
        assertThat(demo.staff().accounts()).extracting(StaffAccount::id, StaffAccount::role).containsExactly(
                tuple("associate", StaffRole.ASSOCIATE), tuple("manager", StaffRole.MANAGER),
                tuple("admin", StaffRole.ADMIN));
        assertThat(demo.staff().accounts()).allSatisfy(a ->
                assertThat(a.passwordHash().iterations()).isEqualTo(PasswordHash.MIN_ITERATIONS));
        assertThat(demo.staff().sessions()).isEqualTo(StaffSessionPolicy.DEFAULT);
    }

    private static List<Device> devicesOf(DeviceKind kind) {
        return demo.devices().stream().filter(d -> d.kind() == kind).toList();
    }
}
