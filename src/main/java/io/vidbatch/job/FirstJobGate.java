package io.vidbatch.job;

import jakarta.batch.operations.JobOperator;
import jakarta.batch.operations.JobStartException;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Lets the first job after the server starts go alone until its first step is recorded; later
 * starts run together. A job repository that has written nothing since start-up still has to
 * compile its statements and reserve each table's identity values, and embedded Derby reserves
 * without waiting for locks: twenty jobs started at that moment made it refuse some of them
 * (40XL1), and a refusal on the job thread failed a job before its plan step, past any retry of
 * ours (LoadIT on a freshly started server). One job through first does that work alone. The
 * wait is bounded, so a first job that never gets a step holds no one for longer than the limit.
 */
final class FirstJobGate {

    private static final long POLL_MILLIS = 50;

    private final CountDownLatch open = new CountDownLatch(1);
    private final AtomicBoolean taken = new AtomicBoolean();
    private final Duration limit;

    FirstJobGate(Duration limit) {
        this.limit = limit;
    }

    /** Runs {@code start} (which starts a job and returns its execution id) once the gate lets it. */
    long pass(JobOperator operator, LongSupplier start) {
        if (open.getCount() > 0 && taken.compareAndSet(false, true)) {
            try {
                long execution = start.getAsLong();
                awaitFirstStep(operator, execution);
                return execution;
            } finally {
                open.countDown();
            }
        }
        try {
            open.await(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobStartException(e);
        }
        return start.getAsLong();
    }

    private void awaitFirstStep(JobOperator operator, long execution) {
        long end = System.nanoTime() + limit.toNanos();
        try {
            while (System.nanoTime() < end && operator.getStepExecutions(execution).isEmpty()
                    && TranscodeJob.running(operator.getJobExecution(execution).getBatchStatus())) {
                Thread.sleep(POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // The job started; whatever hides its steps from us is no reason to refuse the caller.
        }
    }
}
