package io.floorgate.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReplayWindowTest {

    private final ReplayWindow window = new ReplayWindow();

    private boolean takeIn(long boot, long seq) {
        boolean fresh = window.isNew(boot, seq);
        if (fresh) {
            window.mark(boot, seq);
        }
        return fresh;
    }

    @Test
    void isNew_whenSameBootAndSeqArriveTwice_thenSecondIsDuplicate() {
        assertThat(takeIn(7, 1)).isTrue();
        assertThat(takeIn(7, 1)).isFalse();
    }

    @Test
    void isNew_whenSeqArrivesOutOfOrderWithinWindow_thenEachIsTakenOnce() {
        assertThat(takeIn(7, 10)).isTrue();
        assertThat(takeIn(7, 8)).isTrue();
        assertThat(takeIn(7, 9)).isTrue();
        assertThat(takeIn(7, 8)).isFalse();
        assertThat(takeIn(7, 10)).isFalse();
    }

    @Test
    void isNew_whenDeviceRebootsAndRestartsItsCounter_thenNewBootIsNotAReplay() {
        for (long seq = 1; seq <= 50; seq++) {
            assertThat(takeIn(7, seq)).isTrue();
        }
        assertThat(takeIn(8, 1)).isTrue();
        assertThat(takeIn(8, 2)).isTrue();
        assertThat(takeIn(8, 1)).isFalse();
    }

    @Test
    void isNew_whenPreviousBootResendsAfterReboot_thenStillRecognized() {
        takeIn(7, 1);
        takeIn(7, 2);
        takeIn(8, 1);
        assertThat(takeIn(7, 2)).isFalse();
        assertThat(takeIn(7, 3)).isTrue();
    }

    @Test
    void isNew_whenSeqFallsBelowTheWindow_thenTreatedAsDuplicate() {
        takeIn(7, 1);
        takeIn(7, 1 + ReplayWindow.SIZE + 5);
        assertThat(takeIn(7, 2)).isFalse();
    }

    @Test
    void isNew_whenWindowSlidesFarAhead_thenOldBitsDoNotShadowNewSeqs() {
        takeIn(7, 3);
        takeIn(7, 3 + ReplayWindow.SIZE);
        assertThat(takeIn(7, 3 + ReplayWindow.SIZE - 1)).isTrue();
        assertThat(takeIn(7, 3 + 2 * ReplayWindow.SIZE)).isTrue();
    }

    @Test
    void forget_whenAWriteFailed_thenTheResendIsNewAndLaterSeqsStayDuplicates() {
        assertThat(takeIn(7, 1)).isTrue();
        assertThat(takeIn(7, 2)).isTrue();
        assertThat(takeIn(7, 3)).isTrue();
        window.forget(7, 2);
        assertThat(takeIn(7, 2)).isTrue();
        assertThat(takeIn(7, 3)).isFalse();
        assertThat(takeIn(7, 1)).isFalse();
    }

    @Test
    void forget_whenTheSeqIsOfThePreviousBoot_thenOnlyThatBootsMarkIsTakenBack() {
        assertThat(takeIn(7, 5)).isTrue();
        assertThat(takeIn(8, 5)).isTrue();
        window.forget(7, 5);
        assertThat(takeIn(7, 5)).isTrue();
        assertThat(takeIn(8, 5)).isFalse();
    }
}
