package io.floorgate.gateway.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class AlertBookTest {

    private final AtomicLong clock = new AtomicLong(1_000);
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final AlertBook book = new AlertBook(clock::get, metrics);

    @Test
    void raise_whenNoneOpen_thenOpensOneWithTheClocksTime() {
        Alert alert = book.raise(AlertKind.DEVICE_OFFLINE, "ble-1", "lost").orElseThrow();

        assertThat(alert.isOpen()).isTrue();
        assertThat(alert.raisedAtMs()).isEqualTo(1_000);
        assertThat(alert.acknowledgement()).isEmpty();
        assertThat(book.open()).containsExactly(alert);
        assertThat(metrics.counter("floorgate.alerts.raised", "kind", "device-offline").count()).isEqualTo(1);
    }

    @Test
    void openSubjects_whenAlertsOfSeveralKindsAreOpen_thenOnlyThoseOfTheKindAsked() {
        book.raise(AlertKind.FLOOD, "ble-1", "flood");
        book.raise(AlertKind.FLOOD, "ble-2", "flood");
        book.raise(AlertKind.DEVICE_OFFLINE, "ble-3", "lost");
        book.clear(AlertKind.FLOOD, "ble-2");

        assertThat(book.openSubjects(AlertKind.FLOOD)).containsExactly("ble-1");
        assertThat(book.openSubjects(AlertKind.LOW_BATTERY)).isEmpty();
    }

    @Test
    void raise_whenSameKindAndSubjectIsOpen_thenNothingChanges() {
        Alert first = book.raise(AlertKind.DEVICE_OFFLINE, "ble-1", "lost").orElseThrow();

        assertThat(book.raise(AlertKind.DEVICE_OFFLINE, "ble-1", "lost again")).isEmpty();
        assertThat(book.raise(AlertKind.LOW_BATTERY, "ble-1", "low")).isPresent();
        assertThat(book.open()).hasSize(2).contains(first);
    }

    @Test
    void clear_whenOpen_thenResolvesItIntoRecentAndAnotherRaiseIsANewAlert() {
        Alert raised = book.raise(AlertKind.DEVICE_OFFLINE, "ble-1", "lost").orElseThrow();
        clock.set(5_000);

        Alert resolved = book.clear(AlertKind.DEVICE_OFFLINE, "ble-1").orElseThrow();

        assertThat(resolved.id()).isEqualTo(raised.id());
        assertThat(resolved.resolvedAtMs()).hasValue(5_000);
        assertThat(book.open()).isEmpty();
        assertThat(book.recent()).containsExactly(resolved);
        assertThat(book.clear(AlertKind.DEVICE_OFFLINE, "ble-1")).isEmpty();
        assertThat(book.raise(AlertKind.DEVICE_OFFLINE, "ble-1", "lost").orElseThrow().id()).isNotEqualTo(raised.id());
    }

    @Test
    void acknowledge_whenOpenOrRecent_thenRecordsWhoAndWhenAndTheFirstStands() {
        Alert open = book.raise(AlertKind.LOW_BATTERY, "ble-1", "low").orElseThrow();
        Alert toResolve = book.raise(AlertKind.DEVICE_OFFLINE, "ble-2", "lost").orElseThrow();
        book.clear(AlertKind.DEVICE_OFFLINE, "ble-2");
        clock.set(9_000);

        Alert acked = book.acknowledge(open.id(), "anna").orElseThrow();
        Alert ackedResolved = book.acknowledge(toResolve.id(), "ben").orElseThrow();
        clock.set(10_000);
        Alert again = book.acknowledge(open.id(), "carl").orElseThrow();

        assertThat(acked.acknowledgement()).contains(new Alert.Acknowledgement("anna", 9_000));
        assertThat(ackedResolved.acknowledgement()).contains(new Alert.Acknowledgement("ben", 9_000));
        assertThat(ackedResolved.isOpen()).isFalse();
        assertThat(again.acknowledgement()).contains(new Alert.Acknowledgement("anna", 9_000));
        assertThat(book.open()).containsExactly(acked);
        assertThat(book.recent()).containsExactly(ackedResolved);
        assertThat(book.acknowledge("no-such-alert", "anna")).isEmpty();
    }

    @Test
    void raise_whenMaxOpen_thenTheNewOneIsDroppedAndCounted() {
        for (int i = 0; i < AlertBook.MAX_OPEN; i++) {
            assertThat(book.raise(AlertKind.SERVICE_LEVEL_BREACH, "order-" + i, "late")).isPresent();
        }

        assertThat(book.raise(AlertKind.DEVICE_OFFLINE, "ble-1", "lost")).isEmpty();
        assertThat(book.open()).hasSize(AlertBook.MAX_OPEN);
        assertThat(metrics.counter("floorgate.alerts.dropped", "reason", "open_full").count()).isEqualTo(1);
    }

    @Test
    void clear_whenRecentIsFull_thenTheOldestResolvedIsForgottenAndCounted() {
        for (int i = 0; i <= AlertBook.RECENT_KEPT; i++) {
            book.raise(AlertKind.SERVICE_LEVEL_BREACH, "order-" + i, "late");
            book.clear(AlertKind.SERVICE_LEVEL_BREACH, "order-" + i);
        }

        assertThat(book.recent()).hasSize(AlertBook.RECENT_KEPT);
        assertThat(book.recent().get(0).subject()).isEqualTo("order-" + AlertBook.RECENT_KEPT);
        assertThat(book.recent()).noneMatch(a -> a.subject().equals("order-0"));
        assertThat(metrics.counter("floorgate.alerts.dropped", "reason", "recent_full").count()).isEqualTo(1);
    }
}
