package io.floorgate.sim.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SeqRangesTest {

    @Test
    void add_whenRangesOverlapOrTouch_thenMergesThemAndCountsEachNumberOnce() {
        SeqRanges r = new SeqRanges();
        r.add(10, 12);
        r.add(13, 13);
        r.add(11, 20);
        r.add(30, 31);
        r.add(5, 9);
        assertThat(r.spelled()).containsExactly("5..20", "30..31");
        assertThat(r.count()).isEqualTo(18);
    }

    @Test
    void add_whenOneRangeSpansSeveral_thenTheyBecomeOne() {
        SeqRanges r = new SeqRanges();
        r.add(1, 1);
        r.add(3, 3);
        r.add(5, 5);
        r.add(0, 6);
        assertThat(r.spelled()).containsExactly("0..6");
        assertThat(r.count()).isEqualTo(7);
    }

    @Test
    void add_whenARangeStartsRightAfterAnother_thenTheyBecomeOne() {
        SeqRanges r = new SeqRanges();
        r.add(1, 2);
        r.add(3, 4);
        assertThat(r.spelled()).containsExactly("1..4");
        r.add(4, 8);
        assertThat(r.spelled()).containsExactly("1..8");
        assertThat(r.count()).isEqualTo(8);
    }

    @Test
    void add_whenARangeEndsAtTheLargestLong_thenDoesNotOverflow() {
        SeqRanges r = new SeqRanges();
        r.add(Long.MAX_VALUE - 1, Long.MAX_VALUE);
        r.add(Long.MAX_VALUE - 3, Long.MAX_VALUE - 2);
        assertThat(r.count()).isEqualTo(4);
        assertThat(r.spelled()).hasSize(1);
    }

    @Test
    void add_whenEmptyRange_thenIsRefused() {
        assertThatThrownBy(() -> new SeqRanges().add(5, 4)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void remove_whenInsideARange_thenSplitsIt() {
        SeqRanges r = new SeqRanges();
        r.add(1, 5);
        assertThat(r.remove(3)).isTrue();
        assertThat(r.spelled()).containsExactly("1..2", "4..5");
        assertThat(r.remove(1)).isTrue();
        assertThat(r.remove(5)).isTrue();
        assertThat(r.spelled()).containsExactly("2", "4");
        assertThat(r.count()).isEqualTo(2);
    }

    @Test
    void remove_whenNotHeld_thenIsFalseAndChangesNothing() {
        SeqRanges r = new SeqRanges();
        r.add(10, 12);
        assertThat(r.remove(9)).isFalse();
        assertThat(r.remove(13)).isFalse();
        assertThat(new SeqRanges().remove(1)).isFalse();
        assertThat(r.count()).isEqualTo(3);
    }

    @Test
    void overlap_countsTheNumbersBothSetsHold() {
        SeqRanges a = new SeqRanges();
        a.add(1, 10);
        a.add(20, 25);
        a.add(40, 40);
        SeqRanges b = new SeqRanges();
        b.add(5, 22);
        b.add(24, 24);
        b.add(30, 35);
        // 5..10 (6), 20..22 (3), 24 (1)
        assertThat(a.overlap(b)).isEqualTo(10);
        assertThat(b.overlap(a)).isEqualTo(10);
        assertThat(a.overlap(new SeqRanges())).isZero();
    }

    @Test
    void overlap_whenRangesShareOnlyAnEnd_thenCountsThatOneNumber() {
        SeqRanges a = new SeqRanges();
        a.add(10, 20);
        SeqRanges startsThere = new SeqRanges();
        startsThere.add(20, 30);
        SeqRanges endsThere = new SeqRanges();
        endsThere.add(1, 10);
        assertThat(a.overlap(startsThere)).isEqualTo(1);
        assertThat(a.overlap(endsThere)).isEqualTo(1);
    }

    @Test
    void overlap_whenARangeOfTheOtherStartsBeforeAndEndsInside_thenCountsTheInsidePart() {
        SeqRanges a = new SeqRanges();
        a.add(10, 20);
        SeqRanges b = new SeqRanges();
        b.add(1, 12);
        b.add(19, 30);
        assertThat(a.overlap(b)).isEqualTo(5);
    }
}
