package io.vidbatch.api;

import jakarta.ws.rs.container.AsyncResponse;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A {@code status?wait} request parked without a thread: answered once its job has ended, or
 * with the state of the moment when its wait runs out. A script per job may wait for an hour.
 */
final class StatusWait {

    /** The repository records the final state a moment after the job's end listeners run. */
    private static final long LOOK_AGAIN_MILLIS = 100;

    private final AsyncResponse reply;
    private final Supplier<JobViews.Status> look;
    private final Predicate<JobViews.Status> running;
    private final ScheduledExecutorService scheduler;

    /** {@code look} reads the job's state as the caller, on whichever thread it is called. */
    StatusWait(
            AsyncResponse reply,
            Supplier<JobViews.Status> look,
            Predicate<JobViews.Status> running,
            ScheduledExecutorService scheduler) {
        this.reply = reply;
        this.look = look;
        this.running = running;
        this.scheduler = scheduler;
    }

    /** The job ended here: called on the job's thread, which must not wait for the answer. */
    void jobEnded() {
        scheduler.execute(() -> answer(true));
    }

    /** The wait ran out: the state as it is. */
    void timedOut() {
        answer(false);
    }

    private void answer(boolean onceEnded) {
        if (reply.isDone()) {
            return;
        }
        try {
            JobViews.Status s = look.get();
            if (onceEnded && running.test(s)) {
                scheduler.schedule(() -> answer(true), LOOK_AGAIN_MILLIS, TimeUnit.MILLISECONDS);
            } else {
                reply.resume(s);
            }
        } catch (RuntimeException e) {
            reply.resume(e);
        }
    }
}
