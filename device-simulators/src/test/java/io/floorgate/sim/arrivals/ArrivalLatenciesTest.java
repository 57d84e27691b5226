package io.floorgate.sim.arrivals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.stream.IntStream;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ArrivalLatenciesTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void notified_whenSentSeveralTimes_thenTimedFromTheFirstSend() {
        ArrivalLatencies latencies = new ArrivalLatencies(List.of("o1"));
        latencies.sent("o1", 1_000 * MS);
        latencies.sent("o1", 1_250 * MS);
        latencies.notified("o1", 1_260 * MS);

        ArrivalsResult result = latencies.result();
        assertThat(result.timed()).isEqualTo(1);
        assertThat(result.maxMs()).isCloseTo(260, within(260 * 0.02));
        assertThat(latencies.allJudged()).isTrue();
        assertThat(latencies.awaiting("o1")).isFalse();
    }

    @Test
    void notified_whenRepeatedOrForAnotherRunsOrder_thenOnlyTheFirstOfThisRunCounts() {
        ArrivalLatencies latencies = new ArrivalLatencies(List.of("o1", "o2"));
        latencies.sent("o1", 0);
        latencies.notified("o1", 10 * MS);
        latencies.notified("o1", 900 * MS);
        latencies.notified("someone-elses-order", 5 * MS);

        ArrivalsResult result = latencies.result();
        assertThat(result.timed()).isEqualTo(1);
        assertThat(result.maxMs()).isEqualTo(10);
        assertThat(latencies.allJudged()).isFalse();
    }

    @Test
    void notified_whenNothingWasSentYet_thenCountedEarlyAndNeverTimed() {
        ArrivalLatencies latencies = new ArrivalLatencies(List.of("o1"));
        latencies.notified("o1", 10 * MS);
        latencies.sent("o1", 20 * MS);

        assertThat(latencies.awaiting("o1")).isFalse();
        assertThat(latencies.result().early()).isEqualTo(1);
        assertThat(latencies.result().timed()).isZero();
    }

    @Test
    void gaveUp_whenNotificationComesLater_thenMissedAndTheLateOneIgnored() {
        ArrivalLatencies latencies = new ArrivalLatencies(List.of("o1"));
        latencies.sent("o1", 0);
        latencies.gaveUp("o1");
        latencies.notified("o1", 20_000 * MS);

        ArrivalsResult result = latencies.result();
        assertThat(result.missed()).isEqualTo(1);
        assertThat(result.timed()).isZero();
        assertThat(latencies.allJudged()).isTrue();
    }

    @Test
    void result_whenManyTimed_thenPercentilesOfTheLatencies() {
        List<String> orders = IntStream.rangeClosed(1, 100).mapToObj(i -> "o" + i).toList();
        ArrivalLatencies latencies = new ArrivalLatencies(orders);
        for (int i = 1; i <= 100; i++) {
            latencies.sent("o" + i, 0);
            latencies.notified("o" + i, i * MS);
        }

        ArrivalsResult result = latencies.result();
        assertThat(result.p50Ms()).isCloseTo(50, within(1.0));
        assertThat(result.p99Ms()).isCloseTo(99, within(2.0));
        assertThat(result.maxMs()).isEqualTo(100);
    }
}
