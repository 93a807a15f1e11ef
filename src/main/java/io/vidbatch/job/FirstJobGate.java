package io.vidbatch.job;

import jakarta.batch.api.listener.AbstractJobListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Lets the first job after the server starts record its first step alone; later jobs wait for
 * that on their job thread, before Liberty records their own first step. A job repository that
 * has written nothing since start-up still has to compile its statements and reserve each
 * table's identity values, and embedded Derby reserves without waiting for locks: twenty jobs
 * started at that moment made it refuse some (40XL1). Refused starts are tried again
 * ({@link TranscodeJob#start}), but a refusal of the first step's row on the job thread failed
 * the job before its plan (LoadIT on a freshly started server). The wait is bounded, so a first
 * job that never gets a step holds the others back for at most the limit.
 */
@Named("firstJobGate")
@ApplicationScoped
public class FirstJobGate extends AbstractJobListener {

    private static final Duration LIMIT = Duration.ofSeconds(10);

    private final CountDownLatch open = new CountDownLatch(1);
    private final AtomicBoolean taken = new AtomicBoolean();
    private final Duration limit;

    public FirstJobGate() {
        this(LIMIT);
    }

    FirstJobGate(Duration limit) {
        this.limit = limit;
    }

    /** On the job thread, before the job's first step is recorded. */
    @Override
    public void beforeJob() throws InterruptedException {
        if (open.getCount() > 0 && !taken.compareAndSet(false, true)) {
            open.await(limit.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** The first job ended, with or without a step: nothing is gained by holding the others. */
    @Override
    public void afterJob() {
        open.countDown();
    }

    /** A job's plan step has been recorded and its catalogue check made: the repository is warm. */
    void planRunning() {
        open.countDown();
    }
}
