package io.vidbatch.job;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Job threads as Liberty runs them: beforeJob, then (for the first job) its plan step starts. */
class FirstJobGateTest {

    private final List<String> through = new CopyOnWriteArrayList<>();
    private final ExecutorService jobThreads = Executors.newFixedThreadPool(4);

    @AfterEach
    void stop() {
        jobThreads.shutdownNow();
    }

    private Future<?> job(FirstJobGate gate, String name) {
        return jobThreads.submit(() -> {
            gate.beforeJob();
            through.add(name);
            return null;
        });
    }

    @Test
    void theFirstJobGoesOnAloneUntilItsPlanRunsThenTheOthersGo() throws Exception {
        FirstJobGate gate = new FirstJobGate(Duration.ofSeconds(30));
        job(gate, "first").get(5, TimeUnit.SECONDS);
        Future<?> second = job(gate, "second");
        Future<?> third = job(gate, "third");
        Thread.sleep(500);
        assertThat(through).containsExactly("first");

        gate.planRunning();
        second.get(5, TimeUnit.SECONDS);
        third.get(5, TimeUnit.SECONDS);
        assertThat(through).containsExactlyInAnyOrder("first", "second", "third");
        job(gate, "later").get(1, TimeUnit.SECONDS);
    }

    @Test
    void theFirstJobEndingWithoutAPlanLetsTheOthersGo() throws Exception {
        FirstJobGate gate = new FirstJobGate(Duration.ofSeconds(30));
        job(gate, "first").get(5, TimeUnit.SECONDS);
        Future<?> second = job(gate, "second");
        Thread.sleep(300);
        assertThat(second.isDone()).isFalse();
        gate.afterJob();
        second.get(5, TimeUnit.SECONDS);
    }

    @Test
    void aFirstJobThatNeverPlansHoldsTheOthersNoLongerThanTheLimit() throws Exception {
        FirstJobGate gate = new FirstJobGate(Duration.ofMillis(400));
        job(gate, "first").get(5, TimeUnit.SECONDS);
        long t0 = System.nanoTime();
        job(gate, "second").get(5, TimeUnit.SECONDS);
        assertThat(through).containsExactly("first", "second");
        assertThat((System.nanoTime() - t0) / 1e9).isGreaterThan(0.3);
    }
}
