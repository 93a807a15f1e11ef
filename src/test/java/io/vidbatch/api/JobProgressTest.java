package io.vidbatch.api;

import io.vidbatch.store.WorkStore;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A job list's percent: by media seconds once known, by items while some inputs wait to be examined. */
class JobProgressTest {

    @Test
    void itemsCountOneEachWhileSomeInputsAreNotExaminedYet() {
        // One 3 s input done, three queued (no media seconds yet): a quarter, not all of it.
        var p = JobProgress.of(new WorkStore.Counts(4, 1, 0, 3.0, 3.0, 3));

        assertThat(p.percent()).isEqualTo(25.0);
        assertThat(p.pending()).isEqualTo(3);
    }

    @Test
    void mediaSecondsWeighTheItemsOnceEveryInputIsExamined() {
        // A 30 s input done, three of 10 s waiting: half the media.
        var p = JobProgress.of(new WorkStore.Counts(4, 1, 0, 60.0, 30.0, 0));

        assertThat(p.percent()).isEqualTo(50.0);
    }
}
