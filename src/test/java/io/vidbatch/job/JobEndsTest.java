package io.vidbatch.job;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A wait for a job's end is answered however its registration and the end interleave. */
class JobEndsTest {

    private final JobEnds ends = new JobEnds();
    private final List<String> woken = new ArrayList<>();

    @Test
    void aWaitRegisteredBeforeTheEndIsWokenByIt() {
        ends.onEnd(7, 70, () -> woken.add("a"));
        assertThat(woken).isEmpty();
        ends.ended(7, 70);
        assertThat(woken).containsExactly("a");
    }

    @Test
    void aWaitRegisteredJustAfterTheEndIsWokenAtOnce() {
        // Liberty still says STARTED while the end listeners run: a status?wait that looked then
        // registers after the signal and must not sleep until its timeout (bench/night.sh did).
        ends.ended(7, 70);
        ends.onEnd(7, 70, () -> woken.add("late"));
        assertThat(woken).containsExactly("late");
    }

    @Test
    void anEarlierExecutionsEndDoesNotWakeAWaitForTheRestart() {
        ends.ended(7, 70);
        ends.onEnd(7, 71, () -> woken.add("restart"));
        assertThat(woken).isEmpty();
        ends.ended(7, 71);
        assertThat(woken).containsExactly("restart");
    }

    @Test
    void aForgottenWaitIsNotWoken() {
        Runnable r = () -> woken.add("gone");
        ends.onEnd(7, 70, r);
        ends.forget(7, r);
        ends.ended(7, 70);
        assertThat(woken).isEmpty();
    }

    @Test
    void onlyTheLatestEndsAreRemembered() {
        for (long e = 0; e <= JobEnds.REMEMBERED; e++) {
            ends.ended(1, e);
        }
        ends.onEnd(1, 0, () -> woken.add("oldest"));
        ends.onEnd(1, JobEnds.REMEMBERED, () -> woken.add("newest"));
        assertThat(woken).containsExactly("newest");
    }
}
