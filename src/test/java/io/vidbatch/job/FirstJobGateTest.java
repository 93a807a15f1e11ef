package io.vidbatch.job;

import jakarta.batch.operations.JobOperator;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import jakarta.batch.runtime.StepExecution;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class FirstJobGateTest {

    private final AtomicBoolean stepRecorded = new AtomicBoolean();
    private final List<String> started = new CopyOnWriteArrayList<>();
    private final ExecutorService callers = Executors.newFixedThreadPool(3);

    @AfterEach
    void stop() {
        callers.shutdownNow();
    }

    /** A JobOperator whose one job is running, with a step recorded once {@link #stepRecorded} is set. */
    private JobOperator operator() {
        StepExecution step = proxy(StepExecution.class, null);
        JobExecution running = proxy(JobExecution.class, BatchStatus.STARTED);
        return (JobOperator) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {JobOperator.class}, (p, m, args) ->
                switch (m.getName()) {
                    case "getStepExecutions" -> stepRecorded.get() ? List.of(step) : List.of();
                    case "getJobExecution" -> running;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, BatchStatus status) {
        return (T) Proxy.newProxyInstance(FirstJobGateTest.class.getClassLoader(), new Class<?>[] {type}, (p, m, args) -> {
            if (m.getName().equals("getBatchStatus")) {
                return status;
            }
            throw new UnsupportedOperationException(m.getName());
        });
    }

    private Future<Long> start(FirstJobGate gate, JobOperator operator, String name, long execution) {
        return callers.submit(() -> gate.pass(operator, () -> {
            started.add(name);
            return execution;
        }));
    }

    @Test
    void theFirstJobGoesAloneUntilItsFirstStepIsRecordedThenTheOthersStart() throws Exception {
        FirstJobGate gate = new FirstJobGate(Duration.ofSeconds(30));
        JobOperator operator = operator();
        Future<Long> first = start(gate, operator, "first", 1);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (started.isEmpty() && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        Future<Long> second = start(gate, operator, "second", 2);
        Future<Long> third = start(gate, operator, "third", 3);
        Thread.sleep(500);
        assertThat(started).containsExactly("first");
        assertThat(first.isDone()).isFalse();

        stepRecorded.set(true);
        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo(2);
        assertThat(third.get(5, TimeUnit.SECONDS)).isEqualTo(3);
        assertThat(started).containsExactlyInAnyOrder("first", "second", "third");

        // Once open, it stays open: a later start does not wait for anything.
        stepRecorded.set(false);
        assertThat(start(gate, operator, "later", 4).get(1, TimeUnit.SECONDS)).isEqualTo(4);
    }

    @Test
    void aFirstJobThatNeverGetsAStepHoldsTheOthersNoLongerThanTheLimit() throws Exception {
        FirstJobGate gate = new FirstJobGate(Duration.ofMillis(400));
        JobOperator operator = operator();
        Future<Long> first = start(gate, operator, "first", 1);
        Future<Long> second = start(gate, operator, "second", 2);
        assertThat(second.get(3, TimeUnit.SECONDS)).isEqualTo(2);
        assertThat(first.get(3, TimeUnit.SECONDS)).isEqualTo(1);
    }
}
