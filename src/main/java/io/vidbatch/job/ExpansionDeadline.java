package io.vidbatch.job;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * When the expansion of a job's inputs must give up: its time is over, or whoever waits for it
 * (a planning job that was stopped) asked it to stop. A folder tree on a slow or huge share can
 * take as long as it likes to walk; the coordinator cannot, so {@link Inputs} asks this once per
 * file it meets.
 */
public final class ExpansionDeadline {

    /** Walking even 100,000 files takes seconds: a minute means something is wrong. */
    public static final Duration DEFAULT = Duration.ofSeconds(60);

    /** Why the expansion ended early, for the job's exit status or the schedule's run. */
    public static final class Passed extends Exception {
        Passed(String why) {
            super("input expansion stopped: " + why);
        }
    }

    private final Duration limit;
    private final long endNanos;
    private final BooleanSupplier stopRequested;

    private ExpansionDeadline(Duration limit, BooleanSupplier stopRequested) {
        this.limit = limit;
        // nanoTime, not the wall clock: a clock set back must not lengthen the time allowed.
        this.endNanos = System.nanoTime() + limit.toNanos();
        this.stopRequested = stopRequested;
    }

    /** From now on: {@code limit}, or until {@code stopRequested} says so. */
    public static ExpansionDeadline after(Duration limit, BooleanSupplier stopRequested) {
        return new ExpansionDeadline(limit, stopRequested);
    }

    public static ExpansionDeadline after(Duration limit) {
        return after(limit, () -> false);
    }

    void check() throws Passed {
        if (stopRequested.getAsBoolean()) {
            throw new Passed("the job was stopped");
        }
        if (System.nanoTime() - endNanos >= 0) {
            throw new Passed("over its " + limit.toSeconds() + " s deadline");
        }
    }
}
