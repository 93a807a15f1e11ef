package io.vidbatch.job;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Job threads as Liberty runs them: take a turn before the first step, give it back once the plan runs. */
class FirstStepTurnsTest {

    private final ExecutorService jobThreads = Executors.newFixedThreadPool(4);

    @AfterEach
    void stop() {
        jobThreads.shutdownNow();
    }

    @Test
    void anExecutionWaitsUntilTheOneBeforeItGivesItsTurnBack() throws Exception {
        FirstStepTurns turns = new FirstStepTurns(Duration.ofMinutes(5));
        assertThat(turns.take(1)).isTrue();
        Future<Boolean> second = jobThreads.submit(() -> turns.take(2));
        // Execution 1 holds the turn: 2 cannot have it (a wait that ended would have a result).
        assertThat(second.isDone()).isFalse();
        turns.giveBack(1);
        assertThat(second.get(1, TimeUnit.MINUTES)).isTrue();
    }

    @Test
    void givingBackTwiceOrWithoutATurnChangesNothing() throws Exception {
        FirstStepTurns turns = new FirstStepTurns(Duration.ofMinutes(5));
        assertThat(turns.take(1)).isTrue();
        turns.giveBack(1);
        turns.giveBack(1);
        turns.giveBack(7);
        assertThat(turns.take(2)).isTrue();
        Future<Boolean> third = jobThreads.submit(() -> turns.take(3));
        assertThat(third.isDone())
                .as("one turn only, however often it was given back")
                .isFalse();
        turns.giveBack(2);
        assertThat(third.get(1, TimeUnit.MINUTES)).isTrue();
    }

    @Test
    void aTurnNeverGivenBackHoldsTheOthersNoLongerThanTheLimit() throws Exception {
        FirstStepTurns turns = new FirstStepTurns(Duration.ofMillis(200));
        assertThat(turns.take(1)).isTrue();
        assertThat(turns.take(2))
                .as("the limit ran out: it goes on without a turn")
                .isFalse();
        turns.giveBack(2);
        assertThat(turns.take(3))
                .as("execution 2 held no turn, so giving back changed nothing")
                .isFalse();
    }
}
