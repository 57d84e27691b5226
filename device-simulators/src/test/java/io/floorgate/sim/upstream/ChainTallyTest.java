package io.floorgate.sim.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.floorgate.proto.v1.OutboxBoundReached;
import io.floorgate.proto.v1.UpstreamEvent;
import io.floorgate.proto.v1.UpstreamMessage;
import io.floorgate.sim.upstream.ChainTally.Receipt;
import org.junit.jupiter.api.Test;

class ChainTallyTest {

    private static final String CHAIN = "acme";
    private static final UpstreamTopic SUMMARIES = new UpstreamTopic(CHAIN, "s1", UpstreamTopic.Kind.SUMMARIES);
    private static final UpstreamTopic EVENTS = new UpstreamTopic(CHAIN, "s1", UpstreamTopic.Kind.EVENTS);

    private final ChainTally tally = new ChainTally(CHAIN);

    @Test
    void accept_whenSeqsArriveInOrder_thenCountsEachAndNoGap() {
        for (long seq = 1; seq <= 5; seq++) {
            assertThat(tally.accept(SUMMARIES, summary("s1", seq, seq * 1000))).isEqualTo(Receipt.NEW);
        }
        StoreRow row = only();
        assertThat(row.summaries()).isEqualTo(5);
        assertThat(row.lowestSeq()).isEqualTo(1);
        assertThat(row.highestSeq()).isEqualTo(5);
        assertThat(row.gaps()).isZero();
        assertThat(row.lastWindowEndMs()).isEqualTo(5000);
    }

    @Test
    void accept_whenASeqArrivesTwice_thenTheSecondIsADuplicateAndNotCounted() {
        tally.accept(SUMMARIES, summary("s1", 1, 1000));
        tally.accept(SUMMARIES, summary("s1", 2, 2000));
        assertThat(tally.accept(SUMMARIES, summary("s1", 1, 1000))).isEqualTo(Receipt.DUPLICATE);
        assertThat(tally.accept(SUMMARIES, summary("s1", 2, 2000))).isEqualTo(Receipt.DUPLICATE);
        StoreRow row = only();
        assertThat(row.summaries()).isEqualTo(2);
        assertThat(row.duplicates()).isEqualTo(2);
    }

    @Test
    void accept_whenASeqIsSkipped_thenItIsAGapUntilItArrives() {
        tally.accept(SUMMARIES, summary("s1", 1, 1000));
        tally.accept(SUMMARIES, summary("s1", 4, 4000));
        assertThat(only().gaps()).isEqualTo(2);
        assertThat(only().missing()).containsExactly("2..3");
        assertThat(only().unexplainedGaps()).isEqualTo(2);

        assertThat(tally.accept(EVENTS, event("s1", 3))).isEqualTo(Receipt.NEW);
        assertThat(only().missing()).containsExactly("2");
        assertThat(tally.accept(SUMMARIES, summary("s1", 2, 2000))).isEqualTo(Receipt.NEW);
        assertThat(only().gaps()).isZero();
        assertThat(only().lastWindowEndMs()).isEqualTo(4000);
    }

    @Test
    void accept_whenALowerSeqArrivesAfterTheFirst_thenTheSeqsBetweenAreGapsAndTheLowerIsNew() {
        tally.accept(EVENTS, event("s1", 10));
        assertThat(tally.accept(SUMMARIES, summary("s1", 7, 7000))).isEqualTo(Receipt.NEW);
        StoreRow row = only();
        assertThat(row.lowestSeq()).isEqualTo(7);
        assertThat(row.missing()).containsExactly("8..9");
        assertThat(tally.accept(SUMMARIES, summary("s1", 8, 8000))).isEqualTo(Receipt.NEW);
        assertThat(tally.accept(SUMMARIES, summary("s1", 8, 8000))).isEqualTo(Receipt.DUPLICATE);
    }

    @Test
    void accept_whenAGapIsInsideAReportedDroppedRange_thenItIsExplained() {
        tally.accept(SUMMARIES, summary("s1", 1, 1000));
        tally.accept(SUMMARIES, summary("s1", 6, 6000));
        tally.accept(SUMMARIES, summary("s1", 9, 9000));
        // seqs 2..5 and 7..8 missing; the store says it dropped 2..4
        tally.accept(EVENTS, boundReached("s1", 10, 2, 4));
        StoreRow row = only();
        assertThat(row.gaps()).isEqualTo(6);
        assertThat(row.explainedGaps()).isEqualTo(3);
        assertThat(row.unexplainedGaps()).isEqualTo(3);
        assertThat(row.events()).isEqualTo(1);
    }

    @Test
    void accept_whenTheNextLowerSeqArrivesAfterTheFirst_thenNoGap() {
        tally.accept(SUMMARIES, summary("s1", 5, 5000));
        assertThat(tally.accept(SUMMARIES, summary("s1", 4, 4000))).isEqualTo(Receipt.NEW);
        assertThat(only().gaps()).isZero();
        assertThat(only().lowestSeq()).isEqualTo(4);
    }

    @Test
    void accept_whenOneSeqIsReportedDropped_thenThatGapIsExplained() {
        tally.accept(SUMMARIES, summary("s1", 1, 1000));
        tally.accept(SUMMARIES, summary("s1", 3, 3000));
        tally.accept(EVENTS, boundReached("s1", 4, 2, 2));
        assertThat(only().explainedGaps()).isEqualTo(1);
        assertThat(only().unexplainedGaps()).isZero();
    }

    @Test
    void accept_whenAnOutboxBoundReachedCarriesNoRange_thenExplainsNothing() {
        tally.accept(SUMMARIES, summary("s1", 1, 1000));
        tally.accept(SUMMARIES, summary("s1", 3, 3000));
        UpstreamMessage empty = boundReached("s1", 4, 2, 2).toBuilder().setEvent(UpstreamEvent.newBuilder()
                .setOutboxBoundReached(OutboxBoundReached.newBuilder().setBound("rows"))).build();
        assertThat(tally.accept(EVENTS, empty)).isEqualTo(Receipt.NEW);
        assertThat(only().unexplainedGaps()).isEqualTo(1);
    }

    @Test
    void accept_whenTheSeqJumpsToAGatewayRunStart_thenItIsARestartNotAGap() {
        long runStart = 1_764_651_234_567L * 1000;
        tally.accept(SUMMARIES, summary("s1", 41, 1000));
        tally.accept(SUMMARIES, summary("s1", runStart, 2000));
        tally.accept(SUMMARIES, summary("s1", runStart + 1, 3000));
        StoreRow row = only();
        assertThat(row.gaps()).isZero();
        assertThat(row.restarts()).isEqualTo(1);
        assertThat(row.summaries()).isEqualTo(3);
    }

    @Test
    void accept_whenThePreviousRunsBacklogArrivesAfterTheNewRunsEvents_thenItIsNewNotADuplicate() {
        long runStart = 1_764_651_234_567L * 1000;
        tally.accept(SUMMARIES, summary("s1", 41, 1000));
        tally.accept(EVENTS, event("s1", runStart));
        assertThat(tally.accept(SUMMARIES, summary("s1", 42, 2000))).isEqualTo(Receipt.NEW);
        assertThat(tally.accept(SUMMARIES, summary("s1", 42, 2000))).isEqualTo(Receipt.DUPLICATE);
        assertThat(only().summaries()).isEqualTo(2);
        assertThat(only().gaps()).isZero();
    }

    @Test
    void accept_whenTheFirstSeqSeenIsARunStartAndTheBacklogFollows_thenTheSkipBelowItIsARestart() {
        long runStart = 1_764_651_234_567L * 1000;
        tally.accept(EVENTS, event("s1", runStart));
        tally.accept(SUMMARIES, summary("s1", 7, 1000));
        assertThat(only().gaps()).isZero();
        assertThat(only().restarts()).isEqualTo(1);
    }

    @Test
    void accept_whenAJumpDoesNotEndAtARunStart_thenItIsAGap() {
        long runStart = 1_764_651_234_567L * 1000;
        tally.accept(SUMMARIES, summary("s1", 41, 1000));
        // the run start itself was lost: what is missing up to it cannot be told from a loss
        tally.accept(SUMMARIES, summary("s1", runStart + 1, 2000));
        assertThat(only().restarts()).isZero();
        assertThat(only().gaps()).isEqualTo(runStart + 1 - 42);
        // small seqs that happen to be multiples of 1000 are not run starts
        UpstreamTopic s2 = new UpstreamTopic(CHAIN, "s2", UpstreamTopic.Kind.SUMMARIES);
        tally.accept(s2, summary("s2", 1, 1000));
        tally.accept(s2, summary("s2", 1000, 2000));
        assertThat(tally.rows().get(1).gaps()).isEqualTo(998);
    }

    @Test
    void invalid_whenAPayloadDoesNotDecode_thenIsCountedForNoStore() {
        tally.invalid();
        tally.invalid();
        assertThat(tally.invalidCount()).isEqualTo(2);
        assertThat(tally.rows()).isEmpty();
    }

    @Test
    void accept_whenADroppedRangeIsReportedBeforeTheGapIsSeen_thenTheGapIsExplainedWhenItAppears() {
        tally.accept(EVENTS, boundReached("s1", 1, 2, 3));
        tally.accept(SUMMARIES, summary("s1", 4, 4000));
        assertThat(only().gaps()).isEqualTo(2);
        assertThat(only().unexplainedGaps()).isZero();
    }

    @Test
    void accept_whenStoresShareSeqs_thenEachStoreHasItsOwnSequence() {
        tally.accept(SUMMARIES, summary("s1", 1, 1000));
        UpstreamTopic s2 = new UpstreamTopic(CHAIN, "s2", UpstreamTopic.Kind.SUMMARIES);
        assertThat(tally.accept(s2, summary("s2", 1, 1000))).isEqualTo(Receipt.NEW);
        assertThat(tally.rows()).extracting(StoreRow::storeId).containsExactly("s1", "s2");
        assertThat(tally.rows()).allSatisfy(r -> assertThat(r.duplicates()).isZero());
    }

    @Test
    void accept_whenTheEnvelopeDisagreesWithItsTopic_thenIsInvalidAndCountsForNoStore() {
        assertThat(tally.accept(SUMMARIES, summary("s2", 1, 1000))).isEqualTo(Receipt.INVALID);
        assertThat(tally.accept(EVENTS, summary("s1", 1, 1000))).isEqualTo(Receipt.INVALID);
        assertThat(tally.accept(SUMMARIES, summary("s1", 1, 1000).toBuilder().setChainId("other").build()))
                .isEqualTo(Receipt.INVALID);
        assertThat(tally.accept(new UpstreamTopic("other", "s1", UpstreamTopic.Kind.SUMMARIES),
                summary("s1", 1, 1000))).isEqualTo(Receipt.INVALID);
        assertThat(tally.accept(SUMMARIES, summary("s1", 0, 1000))).isEqualTo(Receipt.INVALID);
        assertThat(tally.accept(SUMMARIES, summary("s1", -1, 1000))).isEqualTo(Receipt.INVALID);
        assertThat(tally.accept(SUMMARIES, UpstreamMessage.newBuilder().setChainId(CHAIN).setStoreId("s1").setSeq(1)
                .build())).isEqualTo(Receipt.INVALID);
        assertThat(tally.invalidCount()).isEqualTo(7);
        assertThat(tally.rows()).isEmpty();
    }

    @Test
    void status_whenReceived_thenTheLastOneShows() {
        tally.status("s1", "online");
        tally.status("s1", "offline");
        assertThat(only().status()).isEqualTo("offline");
        assertThat(only().summaries()).isZero();
    }

    private StoreRow only() {
        assertThat(tally.rows()).hasSize(1);
        return tally.rows().get(0);
    }

    private static UpstreamMessage summary(String store, long seq, long windowEndMs) {
        return Envelopes.summary(CHAIN, store, seq, windowEndMs);
    }

    private static UpstreamMessage event(String store, long seq) {
        return Envelopes.event(CHAIN, store, seq);
    }

    private static UpstreamMessage boundReached(String store, long seq, long firstDropped, long lastDropped) {
        return Envelopes.boundReached(CHAIN, store, seq, firstDropped, lastDropped);
    }
}
